"""The audit trail: who changed what, when, before and after, read from django-simple-history.

Every model with ``history = HistoricalRecords()`` takes part. Personal fields (declared in
the model's AccessPolicy) are masked for users who may not see personal data.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.access import AccessPolicy, can_view_personal, policy_for
from welfare import formatting

CHANGE_TYPES = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


@dataclass
class FieldChange:
    field: str
    label: str
    old: Any
    new: Any


@dataclass
class AuditEntry:
    date: datetime
    user: Any
    change_type: str
    model_label: str
    model_name: str
    object_id: Any
    object_repr: str
    reason: str = ""
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def change_label(self) -> str:
        return str(CHANGE_TYPES.get(self.change_type, self.change_type))


def history_models() -> list[type[models.Model]]:
    """The historical models of every tracked model that declares an access policy."""
    result = []
    for model in apps.get_models():
        instance_type = getattr(model, "instance_type", None)
        if instance_type is not None and isinstance(
            getattr(instance_type, "access", None), AccessPolicy
        ):
            result.append(model)
    return sorted(result, key=lambda m: m.instance_type._meta.label)


def _display(value, model_field: models.Field | None, masked: bool) -> Any:
    if value is None or value == "" or value == [] or value == {}:
        return "-"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dict) and not masked:
        return _list_item(value, {})
    if isinstance(value, list | tuple) and not masked:
        base = getattr(model_field, "base_field", None)  # a list field's choices, if any
        labels = dict(base.flatchoices) if base is not None and base.choices else {}
        return "; ".join(_list_item(item, labels) for item in value)
    if masked:
        return (
            formatting.mask_text(value)
            if len(str(value)) != 16
            else formatting.mask_identity_number(value)
        )
    if model_field is not None and model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if model_field is not None and model_field.is_relation and model_field.related_model:
        target = model_field.target_field.attname  # the key the stored value refers to
        return _Reference(model_field.related_model, target, value)  # named in bulk afterwards
    if model_field is not None and _is_identifier(model_field):
        return str(value)  # a key or a year is shown as stored, not as 2.026
    # Written out here, in the Indonesian formats, whatever the page around it does.
    if isinstance(value, datetime):
        return formatting.format_datetime(value)
    if isinstance(value, date):
        return formatting.format_date(value)
    if isinstance(value, Decimal | int | float):
        return formatting.format_figure(value)
    return value


def _list_item(item, labels: dict) -> str:
    """One item of a list field: its label, the message of a structured item (a rule that was
    overridden, say), or the item itself."""
    if isinstance(item, dict):
        return str(item.get("message") or ", ".join(f"{k}: {v}" for k, v in item.items()))
    if isinstance(item, list):
        return ", ".join(map(str, item))
    return str(labels.get(item, item))


@dataclass(frozen=True)
class _Reference:
    model: type[models.Model]
    field_name: str
    pk: Any

    def __str__(self) -> str:
        return f"#{self.pk}"


def _name_references(entries: list[AuditEntry], *, mask_personal: bool) -> None:
    """Replace the keys of related records by their names, one query per related model: a
    record of a personal kind stays '<kind> #id' for a role that may not see personal data,
    and one of a kind without an access policy stays '#id'."""
    wanted: dict[tuple[type[models.Model], str], set] = {}
    for entry in entries:
        for change in entry.changes:
            for value in (change.old, change.new):
                if isinstance(value, _Reference):
                    wanted.setdefault((value.model, value.field_name), set()).add(value.pk)
    names: dict[_Reference, str] = {}
    for (model, field_name), keys in wanted.items():
        policy = getattr(model, "access", None)
        if not isinstance(policy, AccessPolicy):
            continue
        if policy.personal and mask_personal:
            label = model._meta.verbose_name
            names.update({_Reference(model, field_name, k): f"{label} #{k}" for k in keys})
            continue
        # a name that mentions a related record (an indicator's code, say) costs no query per row
        parents = [f.name for f in model._meta.concrete_fields if f.many_to_one]
        queryset = model.objects.select_related(*parents) if parents else model.objects.all()
        found = queryset.in_bulk(keys, field_name=field_name)
        names.update({_Reference(model, field_name, k): str(obj) for k, obj in found.items()})
    for entry in entries:
        for change in entry.changes:
            for attr in ("old", "new"):
                value = getattr(change, attr)
                if isinstance(value, _Reference):
                    setattr(change, attr, names.get(value, str(value)))


def _is_identifier(model_field: models.Field) -> bool:
    name = model_field.name
    return (
        model_field.primary_key
        or model_field.is_relation
        or name == "year"
        or name.endswith("_year")
    )


def _diff(record, previous, *, mask_personal: bool) -> list[FieldChange]:
    instance_type = record.instance_type
    policy = policy_for(instance_type)
    changes = []
    tracked = [
        f
        for f in record._meta.fields
        if f.attname in {tf.attname for tf in record.instance_type._meta.fields}
    ]
    for hist_field in tracked:
        name = hist_field.attname
        if name in {"version", "updated_at", "created_at", instance_type._meta.pk.attname}:
            continue  # bookkeeping, not what anyone changed
        new = getattr(record, name)
        old = getattr(previous, name) if previous is not None else None
        if previous is not None and old == new:
            continue
        if previous is None and (new in (None, "", False) or new == [] or new == {}):
            continue
        try:
            model_field = instance_type._meta.get_field(hist_field.name)
        except Exception:
            model_field = None
        masked = mask_personal and hist_field.name in policy.personal_fields
        label = str(getattr(model_field, "verbose_name", name))
        changes.append(
            FieldChange(
                field=name,
                label=label,
                old=_display(old, model_field, masked) if previous is not None else "",
                new=_display(new, model_field, masked),
            )
        )
    return changes


def _object_repr(record, *, mask_personal: bool) -> str:
    instance_type = record.instance_type
    pk = getattr(record, instance_type._meta.pk.attname)
    if mask_personal and policy_for(instance_type).personal:
        return f"{instance_type._meta.verbose_name} #{pk}"
    try:
        return str(record.instance)
    except Exception:
        return f"#{pk}"


def _entries_with_previous(records: list, historical_model) -> list[tuple[Any, Any]]:
    """Pair each historical record with the one before it, in one query per model."""
    if not records:
        return []
    pk_name = historical_model.instance_type._meta.pk.attname
    ids = {getattr(r, pk_name) for r in records}
    latest = max(r.history_date for r in records)
    versions: dict[Any, list] = {}
    for row in historical_model.objects.filter(
        **{f"{pk_name}__in": ids, "history_date__lte": latest}
    ).order_by("history_date", "history_id"):
        versions.setdefault(getattr(row, pk_name), []).append(row)
    pairs = []
    for record in records:
        chain = versions.get(getattr(record, pk_name), [])
        previous = None
        for row in chain:
            if row.history_id == record.history_id:
                break
            previous = row
        pairs.append((record, previous))
    return pairs


def _to_entry(record, previous, *, mask_personal: bool) -> AuditEntry:
    instance_type = record.instance_type
    pk_name = instance_type._meta.pk.attname
    return AuditEntry(
        date=record.history_date,
        user=record.history_user,
        change_type=record.history_type,
        model_label=instance_type._meta.label,
        model_name=str(instance_type._meta.verbose_name),
        object_id=getattr(record, pk_name),
        object_repr=_object_repr(record, mask_personal=mask_personal),
        reason=record.history_change_reason or "",
        changes=_diff(record, previous, mask_personal=mask_personal),
    )


def audit_trail(
    *,
    user,
    model_label: str | None = None,
    username: str | None = None,
    date_from=None,
    date_to=None,
    offset: int = 0,
    limit: int = 50,
) -> list[AuditEntry]:
    """The newest changes across all tracked models (one query per model, merged by date)."""
    mask_personal = not can_view_personal(user)
    per_model = []
    for historical_model in history_models():
        if model_label and historical_model.instance_type._meta.label != model_label:
            continue
        queryset = historical_model.objects.select_related("history_user").order_by(
            "-history_date", "-history_id"
        )
        if username:
            queryset = queryset.filter(history_user__username=username)
        if date_from:
            queryset = queryset.filter(history_date__date__gte=date_from)
        if date_to:
            queryset = queryset.filter(history_date__date__lte=date_to)
        per_model.append((historical_model, list(queryset[: offset + limit])))
    merged = heapq.merge(
        *[
            [(r.history_date, r.history_id, idx, r) for r in rows]
            for idx, (_m, rows) in enumerate(per_model)
        ],
        reverse=True,
    )
    page = [item[3] for item in list(merged)[offset : offset + limit]]
    by_model: dict[type, list] = {}
    for record in page:
        by_model.setdefault(type(record), []).append(record)
    previous_of = {}
    for historical_model, records in by_model.items():
        for record, previous in _entries_with_previous(records, historical_model):
            previous_of[(historical_model, record.history_id)] = previous
    entries = [
        _to_entry(r, previous_of[(type(r), r.history_id)], mask_personal=mask_personal)
        for r in page
    ]
    _name_references(entries, mask_personal=mask_personal)
    return entries


def object_history(instance: models.Model, *, user) -> list[AuditEntry]:
    """Every change to one record, newest first, with what changed (two queries)."""
    mask_personal = not can_view_personal(user)
    records = list(
        instance.history.select_related("history_user").order_by("history_date", "history_id")
    )
    entries = []
    previous = None
    for record in records:
        entries.append(_to_entry(record, previous, mask_personal=mask_personal))
        previous = record
    if not records or records[0].history_type != "+":
        entries[:0] = _creation_without_history(instance)
    entries.reverse()
    _name_references(entries, mask_personal=mask_personal)
    return entries


def _creation_without_history(instance) -> list[AuditEntry]:
    """The creation of a record written in bulk (the demo, a district's first load, which keep
    no history row per record): its date, and the import that wrote it when that is known."""
    created = getattr(instance, "created_at", None)
    if created is None:
        return []
    batch = getattr(instance, "import_batch", None)
    by_batch = (
        batch is not None
        and batch.committed_at is not None
        and batch.created_at <= created <= batch.committed_at
    )
    if by_batch:
        reason = _("Created in bulk by import %(import)s; its values were not recorded.") % {
            "import": f"#{batch.pk}"
        }
    else:
        reason = _("Created in bulk; its values were not recorded.")
    return [
        AuditEntry(
            date=created,
            user=batch.created_by if by_batch else None,
            change_type="+",
            model_label=instance._meta.label,
            model_name=str(instance._meta.verbose_name),
            object_id=instance.pk,
            object_repr="",
            reason=str(reason),
        )
    ]
