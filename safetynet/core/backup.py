"""Consistent, encrypted backups of the database and the uploaded files, and their restore.

What a backup holds: every row of every installed app's models, read inside one transaction
(a snapshot), except what ``migrate`` rebuilds by itself (content types, permissions) and
the sessions; every file under MEDIA_ROOT; and a manifest with each table's row count and
the SHA-256 of each model's serialised rows.

Rows are written with Django's own serialisation ("python" serialiser, one JSON object a
line) with two changes from ``dumpdata``: datetimes keep their microseconds (the audit
chain hashes them), and natural keys are used only for content types and permissions, the
rows whose ids each database assigns itself (everything else keeps its id, so no lookups
on load). Encrypted numbers are saved in plain inside the encrypted backup, and blind
indexes (derived keyed hashes) are left out and recomputed on restore, so a backup
restores with the backup key alone, also onto a server with other data keys.

File format, version 1 (written once to a temporary name, then renamed):

    offset  size  content
    0       8     magic b"SNBACKUP"
    8       1     format version (1)
    9       8     key id: first 8 bytes of SHA-256(b"safetynet-backup-key-id\\0" + key)
    17      12    random GCM nonce
    29      n     AES-256-GCM ciphertext of a gzip-compressed tar archive
    29+n    16    GCM authentication tag

The 29 header bytes are authenticated too (associated data). The archive holds
``data/<app_label>.<model>.jsonl`` in load order, ``media/<path>`` and, last,
``manifest.json``.

Restore decrypts into an anonymous temporary file and checks the tag before it reads a
byte, refuses a database that holds data (unless forced), loads every row in one
transaction with plain INSERTs (no signals, so no history rows and no audit rows), writes
the media files, re-serialises every table and compares row counts and checksums with the
manifest; any difference rolls everything back.
"""

from __future__ import annotations

import base64
import binascii
import getpass
import hashlib
import io
import json
import os
import secrets
import struct
import tarfile
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import islice
from pathlib import Path, PurePosixPath
from typing import IO, Any, cast

import django
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.core.serializers import python as python_serializer
from django.core.serializers import sort_dependencies
from django.core.serializers.base import DeserializationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, router, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.duration import duration_iso_string
from django.utils.functional import Promise

from safetynet.core import audit
from safetynet.core.fields import BlindIndexField

MAGIC = b"SNBACKUP"
FORMAT_VERSION = 1
HEADER = struct.Struct(">8sB8s12s")  # magic, version, key id, nonce
TAG_BYTES = 16
KEY_BYTES = 32
KEY_ENV = "SAFETYNET_BACKUP_KEY"
KEY_FILE_NAME = "backup_key"
SUFFIX = ".snbk"
MANIFEST = "manifest.json"
DATA_DIR, MEDIA_DIR = "data/", "media/"
IO_CHUNK = 1 << 20
ROWS_PER_QUERY = 2000
ROWS_PER_LOAD = 1000
DB = DEFAULT_DB_ALIAS

# Rebuilt by `migrate` with ids of its own: referred to by natural key, never restored.
REBUILT_BY_MIGRATE = frozenset({"contenttypes.contenttype", "auth.permission"})
NOT_BACKED_UP = REBUILT_BY_MIGRATE | {"sessions.session"}
# Filled by a migration of a new, empty database (the audit chain's genesis head): their
# rows do not make a database "hold data"; restore replaces them like every other table.
SEEDED_BY_MIGRATE = frozenset({"core.audithead"})


class BackupError(Exception):
    """The backup cannot be written or restored; the message says why."""


# --- the key -------------------------------------------------------------------------------


def new_key() -> str:
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def key_file() -> Path:
    return Path(settings.VAR_DIR) / KEY_FILE_NAME


def load_key() -> bytes:
    """SAFETYNET_BACKUP_KEY, or outside production a key file generated once (mode 600)."""
    raw = os.environ.get(KEY_ENV, "").strip()
    if raw:
        return _decode_key(raw, KEY_ENV)
    if settings.PRODUCTION:
        raise BackupError(f"{KEY_ENV} is required in production: base64 of 32 random bytes, "
                          "kept outside the database and apart from the backups")
    path = key_file()
    _create_key_file(path)
    return _decode_key(path.read_text().strip(), str(path))


def _create_key_file(path: Path) -> None:
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(descriptor, "w") as handle:
        handle.write(new_key() + "\n")


def _decode_key(text: str, source: str) -> bytes:
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise BackupError(f"{source} is not valid base64") from exc
    if len(key) != KEY_BYTES:
        raise BackupError(f"{source} must be base64 of {KEY_BYTES} bytes (AES-256)")
    return key


def key_id(key: bytes) -> bytes:
    return hashlib.sha256(b"safetynet-backup-key-id\0" + key).digest()[:8]


# --- which tables, and how rows are serialised ---------------------------------------------


def backed_up_models() -> list[type[models.Model]]:
    """Every concrete model of every installed app, in an order safe to load."""
    app_list = []
    for config in apps.get_app_configs():
        chosen = [m for m in config.get_models() if _backed_up(m)]
        if chosen:
            app_list.append((config, chosen))
    return list(sort_dependencies(app_list, allow_cycles=True))


def _backed_up(model: type[models.Model]) -> bool:
    meta = model._meta
    return (meta.managed and not meta.proxy and meta.label_lower not in NOT_BACKED_UP
            and router.allow_migrate_model(DB, model))


def _through(m2m: Any) -> Any:
    return m2m.remote_field.through


def auto_m2m(model: type[models.Model]) -> list[Any]:
    """Many-to-many fields with an automatic table, saved as lists on their model's rows."""
    return [f for f in model._meta.local_many_to_many if _through(f)._meta.auto_created]


def through_models(model: type[models.Model]) -> list[Any]:
    return [_through(f) for f in auto_m2m(model)]


def derived_fields(model: type[models.Model]) -> list[BlindIndexField]:
    return [f for f in model._meta.local_concrete_fields if isinstance(f, BlindIndexField)]


class _Serializer(python_serializer.Serializer):
    """Natural keys only towards the tables ``migrate`` rebuilds; plain ids elsewhere."""

    def _natural(self, field: Any) -> bool:
        return bool(field.remote_field.model._meta.label_lower in REBUILT_BY_MIGRATE)

    def handle_fk_field(self, obj: Any, field: Any) -> None:
        self.use_natural_foreign_keys = self._natural(field)
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj: Any, field: Any) -> None:
        self.use_natural_foreign_keys = self._natural(field)
        super().handle_m2m_field(obj, field)


class _Encoder(json.JSONEncoder):
    """Like Django's encoder, but datetimes and times keep their microseconds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime | date | time):
            return o.isoformat()
        if isinstance(o, timedelta):
            return duration_iso_string(o)
        if isinstance(o, Decimal | uuid.UUID | Promise):
            return str(o)
        if isinstance(o, bytes | memoryview):
            return base64.b64encode(bytes(o)).decode()
        return super().default(o)


def _line(item: dict[str, Any]) -> bytes:
    text = json.dumps(item, cls=_Encoder, sort_keys=True, ensure_ascii=False,
                      separators=(",", ":"))
    return (text + "\n").encode()


def _field_names(model: type[models.Model]) -> list[str] | None:
    derived = {f.name for f in derived_fields(model)}
    if not derived:
        return None
    meta = model._meta
    return [f.name for f in [*meta.local_fields, *meta.local_many_to_many]
            if f.name not in derived]


def _pages(queryset: Any) -> Iterator[list[Any]]:
    """The rows in primary-key order, a page at a time (keyset pagination)."""
    last = None
    while True:
        page = queryset if last is None else queryset.filter(pk__gt=last)
        rows = list(page[:ROWS_PER_QUERY])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def serialised_lines(model: type[models.Model], queryset: Any = None) -> Iterator[bytes]:
    """One JSON line a row, in primary-key order: the same rows give the same bytes."""
    queryset = model._base_manager.using(DB).all() if queryset is None else queryset
    m2m = [f.name for f in auto_m2m(model)]
    queryset = queryset.order_by("pk").prefetch_related(*m2m)
    fields = _field_names(model)
    for rows in _pages(queryset):
        for item in _Serializer().serialize(rows, fields=fields):
            yield _line(item)


@dataclass(frozen=True)
class Digest:
    rows: int
    sha256: str


def digest(model: type[models.Model], queryset: Any = None) -> Digest:
    hasher, count = hashlib.sha256(), 0
    for line in serialised_lines(model, queryset):
        hasher.update(line)
        count += 1
    return Digest(count, hasher.hexdigest())


def digests() -> dict[str, Digest]:
    """Row count and checksum of every backed-up model, keyed by its label."""
    return {m._meta.label_lower: digest(m) for m in backed_up_models()}


def check_tables(models_: list[type[models.Model]]) -> None:
    """Every table exists: a model whose migration has not run cannot be backed up."""
    present = set(connections[DB].introspection.table_names())
    missing = sorted({m._meta.db_table for m in models_} - present)
    if missing:
        raise BackupError(f"tables missing from the database: {', '.join(missing)}; run "
                          "`safetynet migrate` first")


def applied_migrations() -> list[str]:
    recorder = MigrationRecorder(connections[DB])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


# --- writing -------------------------------------------------------------------------------


@contextmanager
def snapshot() -> Iterator[None]:
    """One transaction that sees one state of the database from its first read to its end.

    PostgreSQL: REPEATABLE READ, READ ONLY, set as the transaction's first statement.
    SQLite: a transaction reads one snapshot (WAL), and BEGIN IMMEDIATE keeps writers out.
    """
    connection = connections[DB]
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        raise BackupError("a PostgreSQL backup must start its own transaction to read a "
                          "consistent snapshot")
    with transaction.atomic(using=DB):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


@dataclass
class _Part:
    model: type[models.Model]
    data: IO[bytes]
    digest: Digest
    through: dict[str, int] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{DATA_DIR}{self.model._meta.label_lower}.jsonl"

    def entry(self) -> dict[str, Any]:
        return {"model": self.model._meta.label_lower, "table": self.model._meta.db_table,
                "file": self.name, "rows": self.digest.rows, "sha256": self.digest.sha256,
                "through": self.through}


def _dump(model: type[models.Model], stack: ExitStack) -> _Part:
    """Serialise one model into an anonymous temporary file, hashing as it goes."""
    handle = stack.enter_context(tempfile.TemporaryFile(dir=settings.VAR_DIR))  # noqa: SIM115
    hasher, count = hashlib.sha256(), 0
    for line in serialised_lines(model):
        handle.write(line)
        hasher.update(line)
        count += 1
    handle.seek(0)
    through = {t._meta.db_table: t._base_manager.using(DB).count()
               for t in through_models(model)}
    return _Part(model, handle, Digest(count, hasher.hexdigest()), through)


class _EncryptingWriter:
    """A write-only file: header, AES-256-GCM of everything written, then the tag."""

    def __init__(self, raw: IO[bytes], key: bytes) -> None:
        nonce = secrets.token_bytes(12)
        header = HEADER.pack(MAGIC, FORMAT_VERSION, key_id(key), nonce)
        self._raw = raw
        self._encryptor = Cipher(algorithms.AES(key), modes.GCM(nonce)).encryptor()
        self._encryptor.authenticate_additional_data(header)
        raw.write(header)

    def write(self, data: bytes) -> int:
        self._raw.write(self._encryptor.update(data))
        return len(data)

    def finish(self) -> None:
        self._raw.write(self._encryptor.finalize())
        self._raw.write(self._encryptor.tag)


class _HashingReader:
    def __init__(self, raw: IO[bytes]) -> None:
        self.raw, self.hasher = raw, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.hasher.update(data)
        return data


def _add(tar: tarfile.TarFile, name: str, source: IO[bytes] | Any, size: int,
         mtime: float | None = None) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode = size, 0o600
    info.mtime = int(mtime if mtime is not None else timezone.now().timestamp())
    tar.addfile(info, source)


def _add_media(tar: tarfile.TarFile, root: Path) -> dict[str, Any]:
    """Every regular file under MEDIA_ROOT (symbolic links are not followed)."""
    hashes: dict[str, str] = {}
    total = 0
    for path in _media_files(root):
        with path.open("rb") as handle:
            stat = os.fstat(handle.fileno())
            reader = _HashingReader(handle)
            rel = path.relative_to(root).as_posix()
            _add(tar, MEDIA_DIR + rel, reader, stat.st_size, stat.st_mtime)
            hashes[rel] = reader.hasher.hexdigest()
            total += stat.st_size
    return {"files": len(hashes), "bytes": total, "sha256": hashes}


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def _manifest(parts: list[_Part], migrations: list[str], started: datetime) -> dict[str, Any]:
    tables: dict[str, int] = {}
    for part in parts:
        tables[part.model._meta.db_table] = part.digest.rows
        tables.update(part.through)
    return {
        "format": FORMAT_VERSION, "created_at": started.isoformat(),
        "database": connections[DB].vendor, "django": django.get_version(),
        "migrations": migrations, "not_backed_up": sorted(NOT_BACKED_UP),
        "models": [p.entry() for p in parts], "tables": tables,
    }


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True).encode()


def _open_private(path: Path) -> IO[bytes]:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    return os.fdopen(descriptor, "wb")


def _check_out_path(path: Path) -> None:
    media = Path(settings.MEDIA_ROOT).resolve()
    if path.resolve().is_relative_to(media):
        raise BackupError(f"write the backup outside MEDIA_ROOT ({media})")


def write_backup(path: Path, key: bytes) -> dict[str, Any]:
    """Write the backup to ``path``; return its manifest."""
    _check_out_path(path)
    started = timezone.now()
    partial = path.with_name(path.name + ".partial")
    with ExitStack() as stack:
        with snapshot():
            chosen = backed_up_models()
            check_tables(chosen)
            parts = [_dump(model, stack) for model in chosen]
            migrations = applied_migrations()
        manifest = _manifest(parts, migrations, started)
        try:
            with _open_private(partial) as raw:
                _write_archive(raw, key, parts, manifest)
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


def _write_archive(raw: IO[bytes], key: bytes, parts: list[_Part],
                   manifest: dict[str, Any]) -> None:
    sink = _EncryptingWriter(raw, key)
    stream = cast(IO[bytes], sink)  # tarfile's stream mode only calls write()
    with tarfile.open(fileobj=stream, mode="w|gz", format=tarfile.PAX_FORMAT) as tar:
        for part in parts:
            size = part.data.seek(0, io.SEEK_END)
            part.data.seek(0)
            _add(tar, part.name, part.data, size)
        manifest["media"] = _add_media(tar, Path(settings.MEDIA_ROOT))
        body = _json_bytes(manifest)
        _add(tar, MANIFEST, io.BytesIO(body), len(body))
    sink.finish()


def create(path: Path, key: bytes | None = None) -> dict[str, Any]:
    """Write a backup and put the outcome in the audit log."""
    try:
        key = load_key() if key is None else key
        manifest = write_backup(path, key)
    except (BackupError, OSError, DatabaseError) as exc:
        _record_failure(path, exc)
        raise
    audit.record("backup", username="system", file=str(path), key_id=key_id(key).hex(),
                 rows=sum(manifest["tables"].values()), tables=len(manifest["tables"]),
                 media_files=manifest["media"]["files"], os_user=_os_user())
    return manifest


def _record_failure(path: Path, exc: Exception) -> None:
    """Audit a failed backup, unless the database itself is what failed."""
    with suppress(DatabaseError):
        audit.record("backup", username="system", result="fail", file=str(path),
                     error=str(exc)[:500], os_user=_os_user())


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def default_path() -> Path:
    folder = Path(settings.VAR_DIR) / "backups"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder / f"safetynet-{timezone.localtime():%Y%m%d-%H%M%S}{SUFFIX}"


# --- reading -------------------------------------------------------------------------------

TAMPERED = ("the backup does not authenticate: the file is damaged or was altered "
            "(AES-GCM tag mismatch); nothing was changed")


def _nonce_from_header(header: bytes, key: bytes) -> bytes:
    if len(header) < HEADER.size:
        raise BackupError("not a SafetyNet backup: the file is too short")
    magic, version, kid, nonce = HEADER.unpack(header)
    if magic != MAGIC:
        raise BackupError("not a SafetyNet backup (wrong magic header)")
    if version != FORMAT_VERSION:
        raise BackupError(f"backup format version {version} is not supported "
                          f"(this SafetyNet reads version {FORMAT_VERSION})")
    if kid != key_id(key):
        raise BackupError(f"the backup was encrypted with another key (key id {kid.hex()}; "
                          f"the configured key has id {key_id(key).hex()}); nothing was "
                          "changed")
    return bytes(nonce)


def decrypt(source: IO[bytes], key: bytes, sink: IO[bytes]) -> None:
    """Decrypt ``source`` into ``sink``; raise BackupError unless the tag verifies."""
    header = source.read(HEADER.size)
    nonce = _nonce_from_header(header, key)
    size = os.fstat(source.fileno()).st_size
    remaining = size - HEADER.size - TAG_BYTES
    if remaining < 0:
        raise BackupError("the backup is truncated")
    source.seek(size - TAG_BYTES)
    tag = source.read(TAG_BYTES)
    source.seek(HEADER.size)
    decryptor = Cipher(algorithms.AES(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(header)
    while remaining:
        chunk = source.read(min(IO_CHUNK, remaining))
        if not chunk:
            raise BackupError("the backup is truncated")
        sink.write(decryptor.update(chunk))
        remaining -= len(chunk)
    try:
        sink.write(decryptor.finalize())
    except InvalidTag as exc:
        raise BackupError(TAMPERED) from exc


@contextmanager
def opened(path: Path, key: bytes) -> Iterator[tuple[tarfile.TarFile, dict[str, Any]]]:
    """The authenticated archive (in an anonymous temporary file) and its manifest."""
    if not path.is_file():
        raise BackupError(f"{path} is not a file")
    with path.open("rb") as source, tempfile.TemporaryFile(dir=settings.VAR_DIR) as plain:
        decrypt(source, key, plain)
        plain.seek(0)
        tar, manifest = _open_archive(plain)
        with tar:
            yield tar, manifest


def _open_archive(plain: IO[bytes]) -> tuple[tarfile.TarFile, dict[str, Any]]:
    try:
        tar = tarfile.open(fileobj=plain, mode="r:gz")  # noqa: SIM115 (closed by opened())
        handle = tar.extractfile(MANIFEST)
        manifest: dict[str, Any] = json.loads(handle.read() if handle else b"null")
    except (tarfile.TarError, KeyError, ValueError, OSError) as exc:
        raise BackupError(f"the backup's archive cannot be read: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_VERSION:
        raise BackupError("the backup's manifest is missing or of an unsupported format")
    return tar, manifest


# --- restoring -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TableCheck:
    table: str
    expected: int
    restored: int
    checksum_ok: bool = True

    @property
    def ok(self) -> bool:
        return self.expected == self.restored and self.checksum_ok


@dataclass(frozen=True)
class RestoreResult:
    manifest: dict[str, Any]
    checks: list[TableCheck]
    media_files: int
    replaced: list[str]

    @property
    def rows(self) -> int:
        return sum(c.restored for c in self.checks)


def _check_schema(manifest: dict[str, Any]) -> None:
    here, there = set(applied_migrations()), set(manifest["migrations"])
    if here != there:
        missing, extra = sorted(there - here)[:5], sorted(here - there)[:5]
        raise BackupError(
            "the database schema differs from the backup's: restore into a database migrated "
            "by the same SafetyNet version, then run `safetynet migrate` "
            f"(only in the backup: {missing or '-'}; only here: {extra or '-'})")
    check_tables([_model(entry["model"]) for entry in manifest["models"]])


def _model(label: str) -> type[models.Model]:
    try:
        return apps.get_model(label)
    except LookupError as exc:
        raise BackupError(f"the backup holds {label}, which this installation lacks") from exc


def tables_with_data(manifest: dict[str, Any]) -> list[str]:
    """Tables that hold rows, apart from those a fresh ``migrate`` fills by itself."""
    return [entry["table"] for entry in manifest["models"]
            if entry["model"] not in SEEDED_BY_MIGRATE
            and _model(entry["model"])._base_manager.using(DB).exists()]


def _flush() -> None:
    """Empty every table the backup restores, and the sessions (TRUNCATE on PostgreSQL)."""
    connection = connections[DB]
    keep = {m._meta.db_table for m in apps.get_models()
            if m._meta.label_lower in REBUILT_BY_MIGRATE}
    tables = sorted(set(connection.introspection.django_table_names(
        only_existing=True, include_views=False)) - keep)
    connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables))


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _insert(model: type[models.Model], rows: list[models.Model]) -> None:
    """Plain multi-row INSERTs with the saved values (raw: no auto_now, no signals)."""
    for row in rows:
        for index in derived_fields(model):
            index.pre_save(row, add=True)
    fields = model._meta.local_concrete_fields
    size = max(1, connections[DB].ops.bulk_batch_size(fields, rows))
    queryset = model._base_manager.using(DB)
    for batch in _batches(rows, size):
        queryset._insert(batch, fields=fields, raw=True, using=DB)  # type: ignore[attr-defined]


def _insert_links(model: type[models.Model], loaded: list[Any]) -> None:
    for m2m in auto_m2m(model):
        through = _through(m2m)
        source = through._meta.get_field(m2m.m2m_field_name()).attname
        target = through._meta.get_field(m2m.m2m_reverse_field_name()).attname
        links = [through(**{source: item.object.pk, target: pk})
                 for item in loaded for pk in (item.m2m_data or {}).get(m2m.name, [])]
        through._base_manager.using(DB).bulk_create(links, batch_size=ROWS_PER_LOAD)


def _load_model(model: type[models.Model], lines: Iterable[str]) -> None:
    objects = (json.loads(line) for line in lines if line.strip())
    for batch in _batches(objects, ROWS_PER_LOAD):
        loaded = list(python_serializer.Deserializer(batch, using=DB))
        _insert(model, [item.object for item in loaded])
        _insert_links(model, loaded)


def _member(tar: tarfile.TarFile, name: str) -> IO[bytes]:
    try:
        handle = tar.extractfile(name)
    except KeyError:
        handle = None
    if handle is None:
        raise BackupError(f"the backup lacks the file {name}")
    return handle


def _load(tar: tarfile.TarFile, manifest: dict[str, Any]) -> list[type[models.Model]]:
    loaded: list[type[models.Model]] = []
    for entry in manifest["models"]:
        model = _model(entry["model"])
        try:
            _load_model(model, io.TextIOWrapper(_member(tar, entry["file"]), encoding="utf-8"))
        except (DeserializationError, ValueError) as exc:
            raise BackupError(f"rows of {entry['model']} cannot be loaded: {exc}") from exc
        loaded += [model, *through_models(model)]
    return loaded


def _finish_load(loaded: list[type[models.Model]]) -> None:
    connection = connections[DB]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), loaded):
            cursor.execute(sql)
    connection.check_constraints(table_names=[m._meta.db_table for m in loaded])


def verify_tables(manifest: dict[str, Any]) -> list[TableCheck]:
    """Re-serialise every restored table and compare it with the manifest."""
    checks = []
    for entry in manifest["models"]:
        model = _model(entry["model"])
        now = digest(model)
        checks.append(TableCheck(entry["table"], entry["rows"], now.rows,
                                 now.sha256 == entry["sha256"]))
        for through in through_models(model):
            table = through._meta.db_table
            checks.append(TableCheck(table, entry["through"].get(table, 0),
                                     through._base_manager.using(DB).count()))
    return checks


def _safe_media_path(root: Path, name: str) -> Path:
    parts = PurePosixPath(name).parts
    if not parts or PurePosixPath(name).is_absolute() or ".." in parts:
        raise BackupError(f"refusing the media path {name!r}")
    return root.joinpath(*parts)


def _restore_media(tar: tarfile.TarFile, manifest: dict[str, Any]) -> int:
    root = Path(settings.MEDIA_ROOT)
    expected: dict[str, str] = manifest.get("media", {}).get("sha256", {})
    for name, sha in expected.items():
        _write_verified(_member(tar, MEDIA_DIR + name), _safe_media_path(root, name), sha)
    return len(expected)


def _write_verified(source: IO[bytes], target: Path, sha: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = target.with_name(target.name + ".restoring")
    reader = _HashingReader(source)
    with _open_private(scratch) as out:
        while chunk := reader.read(IO_CHUNK):
            out.write(chunk)
    if reader.hasher.hexdigest() != sha:
        scratch.unlink()
        raise BackupError(f"media file {target.name} does not match its checksum")
    os.replace(scratch, target)


def restore(path: Path, key: bytes | None = None, *, force: bool = False) -> RestoreResult:
    """Bring a backup back; everything in one transaction, verified before it commits."""
    key = load_key() if key is None else key
    with opened(path, key) as (tar, manifest):
        _check_schema(manifest)
        with transaction.atomic(using=DB):
            replaced = tables_with_data(manifest)
            if replaced and not force:
                raise BackupError(
                    "the database already holds data (" + ", ".join(replaced[:5])
                    + (", …" if len(replaced) > 5 else "") + "): restore into an empty, "
                    "migrated database, or use --force to replace everything in it")
            _flush()  # also ends every session, which may name users the backup replaces
            _finish_load(_load(tar, manifest))
            checks = verify_tables(manifest)
            bad = [c.table for c in checks if not c.ok]
            if bad:
                raise BackupError(f"restored tables differ from the manifest: {bad}; "
                                  "the restore was rolled back")
            media = _restore_media(tar, manifest)
            result = RestoreResult(manifest, checks, media, replaced)
            _audit_restore(path, key, result)
    return result


def _audit_restore(path: Path, key: bytes, result: RestoreResult) -> None:
    audit.record("restore", username="system", file=str(path), key_id=key_id(key).hex(),
                 backup_created_at=result.manifest["created_at"], rows=result.rows,
                 tables=len(result.checks), media_files=result.media_files,
                 replaced_tables=result.replaced, os_user=_os_user())
