"""The staff pages the benchmark measures: (path, who looks at it), shared by the
harness (load) and bench_prepare (query plans). No Django imports: the harness
runs without Django."""


def staff_pages(*, complaint_id: int, handling_office_id: int) -> dict[str, tuple[str, str]]:
    """key -> (path, session user: centre, office or coordinator)."""
    return {
        "queue": ("/staff/complaints/", "centre"),
        "queue_filtered": (f"/staff/complaints/?status=open&handling_office={handling_office_id}&q=TS-", "centre"),
        "queue_page1": ("/staff/complaints/?status=&page=1", "centre"),
        "queue_page1000": ("/staff/complaints/?status=&page=1000", "centre"),
        "queue_office": ("/staff/complaints/", "office"),
        "detail": (f"/staff/complaints/{complaint_id}/", "centre"),
        "dashboard": ("/staff/dashboard/", "coordinator"),
        "scorecard": ("/staff/dashboard/office/", "office"),
    }


#: The staff pages whose query plans the report shows.
EXPLAINED = ["queue", "queue_filtered", "queue_page1000", "queue_office", "detail", "scorecard"]
