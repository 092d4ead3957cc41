"""The appraisal's pages: ``public`` for voters and readers of the published results,
``staff_*`` for the campaign office and supervisors."""
