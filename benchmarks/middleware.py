"""Counts the SQL queries each request makes (settings_bench only)."""

from django.db import connection


class QueryCounter:
    """An execute wrapper (``connection.execute_wrapper``) that counts what it runs."""

    def __init__(self):
        self.queries = 0

    def __call__(self, execute, sql, params, many, context):
        self.queries += 1
        return execute(sql, params, many, context)


class QueryCountMiddleware:
    header = "X-Bench-Queries"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response[self.header] = str(counter.queries)
        return response
