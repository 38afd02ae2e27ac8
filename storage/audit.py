"""The admin audit log: who changed what, when."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import AuditEntry
from storage.records import AuditRecord


def record_audit(session: Session, actor: str, action: str, **details: object) -> None:
    session.add(AuditEntry(actor=actor, action=action, details=details))


def recent_audit(session: Session, limit: int = 50) -> list[AuditRecord]:
    rows = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit))
    return [AuditRecord(row.id, row.at, row.actor, row.action, row.details) for row in rows]
