"""Staff pages for complaints, one module per page or family of steps: the
queue and "first received by me", the detail page with one POST endpoint per
workflow step, complaints entered by staff, and the accountability cases.

Every complaint is fetched through ``Complaint.objects.visible_to`` (``for_queue``,
``for_staff_detail``), so another office's complaint is a 404 like one that does
not exist. The services decide who may do what; these views only decide which
forms to offer, so a forged POST still meets the service's refusal."""
