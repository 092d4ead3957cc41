"""Counts the SQL queries each request makes (settings_bench only)."""

from django.db import connection


class QueryCountMiddleware:
    header = "X-Bench-Queries"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response[self.header] = str(count)
        return response
