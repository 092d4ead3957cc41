"""Staff pages for rectification, one module per resource. Every record is
fetched through a ``visible_to`` queryset, so another office's record is a 404
like one that does not exist; the services decide who may do what, so a forged
POST meets the same refusal as a hidden button."""
