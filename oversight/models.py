"""Phase deliverables, bulletins and public disclosure (issue: campaign oversight)."""
