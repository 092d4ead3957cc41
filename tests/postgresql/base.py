"""Django's PostgreSQL backend, flushing with DELETE (the tests' settings use it).

After every transactional test (the browser tests, the races, the worker tests)
pytest-django empties the database with ``flush``, which Django writes as one
TRUNCATE of every table: about 1 s for our 100-odd tables, each of which gets new
files, however few rows they hold. A test leaves a handful of rows, and deleting
them takes 0.09 s. The foreign keys Django creates are DEFERRABLE INITIALLY
DEFERRED and ``flush`` runs in one transaction, so the order of the DELETEs does
not matter. A flush that resets sequences (``reset_sequences=True``) or cascades
into tables outside the list keeps Django's TRUNCATE.
"""

from django.db.backends.postgresql import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade:
            return super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return ["SET CONSTRAINTS ALL DEFERRED"] + [
            f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};" for table in tables
        ]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
