"""``.weftpkg`` archives: a module's files and a manifest of their checksums, in a zip.

Reading one never writes to disk, and refuses absolute or ``..`` paths, links, duplicate
entries, too many or too large files (also as declared against what decompresses), and
files whose checksum differs from the manifest.
"""

from __future__ import annotations

import hashlib
import io
import json
import stat
import struct
import zipfile
from pathlib import Path

from ..engine.errors import DeploymentError, Problem
from .manifest import Manifest
from .module import ModuleFiles, load_module, read_module_folder

MANIFEST = "manifest.json"
FORMAT = 1
MAX_ARCHIVE_BYTES = 50 * 1024 * 1024
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_TOTAL_BYTES = 100 * 1024 * 1024
MAX_ENTRIES = 2000
END_RECORD_SIZE, MAX_COMMENT = 22, 65535


def build_package(module: ModuleFiles, manifest: Manifest) -> bytes:
    files = {path: hashlib.sha256(content).hexdigest() for path, content in sorted(module.files.items())}
    index = {"format": FORMAT, "name": manifest.name, "version": manifest.version, "files": files}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, json.dumps(index, indent=2, sort_keys=True))
        for path in sorted(module.files):
            info = zipfile.ZipInfo(path, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            archive.writestr(info, module.files[path])
    return buffer.getvalue()


def package_name(manifest: Manifest) -> str:
    return f"{manifest.name}-{manifest.version}.weftpkg"


def write_package(root: Path, name: str, output_dir: Path) -> Path:
    """Build ``<name>-<version>.weftpkg`` from the module's folders under ``root``; a module
    whose files do not parse is refused with every problem (the deploy checks the rest)."""
    try:
        files = read_module_folder(root, name)
    except ValueError as exc:
        raise DeploymentError([Problem(str(root), str(exc))]) from None
    if not files.files:
        raise DeploymentError([Problem(str(root), f"no module {name!r}: plugins/{name}, forms/{name} and "
                                                  f"processes/{name} are missing")])
    module = load_module(files)
    if module.problems or module.manifest is None:
        raise DeploymentError([Problem(p.file, p.message, p.key or None) for p in module.problems])
    output_dir.mkdir(parents=True, exist_ok=True)
    target = output_dir / package_name(module.manifest)
    target.write_bytes(build_package(files, module.manifest))
    return target


def read_package(content: bytes, filename: str) -> ModuleFiles:
    """The module inside a package, or ``DeploymentError`` naming every problem."""
    def refuse(message: str) -> DeploymentError:
        return DeploymentError([Problem(filename, message)])

    if len(content) > MAX_ARCHIVE_BYTES:
        raise refuse(f"the package is larger than {MAX_ARCHIVE_BYTES // (1024 * 1024)} MB")
    declared = _declared_entries(content)
    if declared is not None and declared > MAX_ENTRIES:
        raise refuse(f"more than {MAX_ENTRIES} files")         # before zipfile reads the whole directory
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise refuse("not a .weftpkg (zip) archive") from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise refuse(f"more than {MAX_ENTRIES} files")
        problems = [p for info in entries if (p := _entry_problem(info, filename))]
        names = [info.filename for info in entries]
        problems += [Problem(filename, f"{n}: appears twice") for n in sorted({n for n in names if names.count(n) > 1})]
        if sum(info.file_size for info in entries) > MAX_TOTAL_BYTES:
            problems.append(Problem(filename, f"unpacks to more than {MAX_TOTAL_BYTES // (1024 * 1024)} MB"))
        if MANIFEST not in names:
            problems.append(Problem(filename, f"has no {MANIFEST}"))
        if problems:
            raise DeploymentError(problems)
        index = _index(archive, filename)
        files = {info.filename: _read(archive, info, filename) for info in entries
                 if info.filename != MANIFEST and not info.is_dir()}
    return ModuleFiles(index["name"], _checked(files, index, filename), filename)


def _declared_entries(content: bytes) -> int | None:
    """The entry count in the zip's end-of-central-directory record (``None``: not found).
    ZIP64 archives (0xFFFF) count as too many: packages are small."""
    tail = content[-(END_RECORD_SIZE + MAX_COMMENT):]
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < END_RECORD_SIZE:
        return None
    (total,) = struct.unpack("<H", tail[at + 10:at + 12])
    return MAX_ENTRIES + 1 if total == 0xFFFF else total


def _entry_problem(info: zipfile.ZipInfo, filename: str) -> Problem | None:
    name = info.filename
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or ":" in parts[0] or ".." in parts or "\\" in name:
        return Problem(filename, f"{name}: paths must be relative, without '..'")
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return Problem(filename, f"{name}: links are not allowed")
    if info.file_size > MAX_FILE_BYTES:
        return Problem(filename, f"{name}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    if info.flag_bits & 0x1:
        return Problem(filename, f"{name}: encrypted entries are not allowed")
    return None


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, filename: str) -> bytes:
    with archive.open(info) as handle:
        data = handle.read(info.file_size + 1)
    if len(data) > info.file_size:
        raise DeploymentError([Problem(filename, f"{info.filename}: unpacks to more than it declares")])
    return data


def _index(archive: zipfile.ZipFile, filename: str) -> dict:
    try:
        index = json.loads(_read(archive, archive.getinfo(MANIFEST), filename))
    except ValueError:
        raise DeploymentError([Problem(filename, f"{MANIFEST} is not valid JSON")]) from None
    if not isinstance(index, dict) or not isinstance(index.get("name"), str) or \
            not isinstance(index.get("files"), dict):
        raise DeploymentError([Problem(filename, f"{MANIFEST} lacks name or files")])
    return index


def _checked(files: dict[str, bytes], index: dict, filename: str) -> dict[str, bytes]:
    problems = []
    listed = index["files"]
    for path in sorted(set(files) | set(listed)):
        if path not in listed:
            problems.append(Problem(filename, f"{path}: not listed in {MANIFEST}"))
        elif path not in files:
            problems.append(Problem(filename, f"{path}: listed in {MANIFEST} but missing"))
        elif hashlib.sha256(files[path]).hexdigest() != listed[path]:
            problems.append(Problem(filename, f"{path}: checksum does not match {MANIFEST}"))
    if problems:
        raise DeploymentError(problems)
    return files
