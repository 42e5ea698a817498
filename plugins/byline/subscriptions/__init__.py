"""Byline's subscription service: sign-up with double opt-in, one-click unsubscribe and
the readers' database that an SMTP send reads (``byline[subscriptions]``).

Modules: ``store`` (the database: readers, their consent events, the confirmation
queue), ``config`` (settings and secrets), ``app`` (the Starlette app and its pages),
``outbox`` (sends confirmation emails from the queue, outside any request), ``limits``
(rate limits against form spam), ``admin`` (import, export, forget, backup for tasks.py).
Nothing here imports Starlette or SQLAlchemy until it is used.
"""
