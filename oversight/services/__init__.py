"""Every oversight write: one transaction, the rule checked on the server whoever
calls (view, admin, task or shell), and an ``AuditEvent``."""
