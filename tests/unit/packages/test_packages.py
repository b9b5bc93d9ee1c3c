"""Plugin manifests, modules read from files, dependency order, and .weftpkg archives."""

from __future__ import annotations

import io
import json
import stat
import zipfile
from pathlib import Path

import pytest

from tests.support.modules import module_files
from weft.engine.errors import DeploymentError
from weft.packages.archive import MANIFEST, build_package, read_package, write_package
from weft.packages.checks import order_modules
from weft.packages.manifest import parse_manifest
from weft.packages.module import load_module, read_module_folder

LAB = Path(__file__).resolve().parents[2] / "modules"


def manifest(**data):
    parsed, problems = parse_manifest({"name": "sales", "version": "1.2.0", **data}, "plugins/sales/plugin.yaml")
    return parsed, {p.key: p.message for p in problems}


def test_a_manifest_with_everything():
    parsed, problems = manifest(label={"en": "Sales", "ru": "Продажи"}, requires=["core"], roles=["seller"],
                                menu=[{"entity": "deal"}, {"process": "lead_to_deal", "label": {"en": "New lead"}}])
    assert problems == {}
    assert parsed.requires == ("core",) and parsed.roles == ("seller",) and len(parsed.menu) == 2


@pytest.mark.parametrize("data, key", [
    ({"version": "one"}, "version"),
    ({"requires": "core"}, "requires"),
    ({"requires": ["sales"]}, "requires"),
    ({"roles": ["Sales Rep"]}, "roles"),
    ({"roles": ["a", "a"]}, "roles"),
    ({"menu": [{"colour": "red"}]}, "menu[0]"),
    ({"owner": "me"}, "owner"),
])
def test_bad_manifests_name_the_key(data, key):
    parsed, problems = manifest(**data)
    assert parsed is None and key in problems, problems


def test_a_manifest_must_be_a_mapping_with_a_name():
    assert parse_manifest(["name"], "p.yaml")[1][0].message.startswith("plugin.yaml must be a mapping")
    assert parse_manifest({"name": "x;y"}, "p.yaml")[1][0].key == "name"


def test_the_lab_module_reads_from_its_folders():
    files = read_module_folder(LAB, "lab")
    assert "plugins/lab/plugin.yaml" in files.files and "processes/lab/purchase.bpmn" in files.files
    module = load_module(files)
    assert module.problems == []
    assert sorted(module.entities) == ["purchase_order", "purchase_order_line", "supplier"]
    assert sorted(module.forms) == ["approve_order", "request_order"]
    assert [r.name for r in module.resources] == ["processes/lab/purchase.bpmn"]


def problems(files, name="m"):
    return {(p.file, p.key): p.message for p in load_module(module_files(name, files)).problems}


def test_module_files_that_are_not_mappings_or_not_yaml_are_refused():
    found = problems({"plugins/m/entities/a.yaml": "- just\n- a list\n", "plugins/m/entities/b.yaml": "a: [1,\n",
                      "forms/m/f.yaml": "42\n"})
    assert "must be a mapping" in found[("plugins/m/entities/a.yaml", "")]
    assert "not valid YAML (line" in found[("plugins/m/entities/b.yaml", "")]
    assert "must be a mapping" in found[("forms/m/f.yaml", "")]


def test_a_key_given_twice_is_refused_not_silently_overwritten():
    found = problems({"plugins/m/entities/a.yaml": "name: a\nfields:\n  x: string\n  x: integer\n"})
    assert found == {("plugins/m/entities/a.yaml", ""): "not valid YAML (line 4): duplicate key 'x'"}


def test_duplicate_names_and_foreign_files_are_refused():
    entity = {"name": "thing", "fields": {"a": "string"}}
    form = {"name": "f", "sections": [{"fields": [{"name": "x", "type": "string"}]}]}
    found = problems({"plugins/m/entities/a.yaml": entity, "plugins/m/entities/b.yaml": entity,
                      "forms/m/f.yaml": form, "forms/m/g.yaml": form, "plugins/other/x.yaml": "a: 1"})
    assert "also defined in plugins/m/entities/a.yaml" in found[("plugins/m/entities/b.yaml", "name")]
    assert "also defined in forms/m/f.yaml" in found[("forms/m/g.yaml", "name")]
    assert "not a file of module 'm'" in found[("plugins/other/x.yaml", "")]
    missing = load_module(module_files("m", {"plugins/m/plugin.yaml": b""}))
    assert any("must be a mapping" in p.message for p in missing.problems)
    renamed = problems({"plugins/m/plugin.yaml": {"name": "n", "version": "1.0"}})
    assert "named 'n'" in renamed[("plugins/m/plugin.yaml", "name")]


def test_modules_are_ordered_by_requires_and_cycles_are_named():
    def parsed(name, requires):
        return parse_manifest({"name": name, "version": "1.0", "requires": requires}, f"{name}.yaml")[0]

    order, found = order_modules({"sales": parsed("sales", ["core"]), "core": parsed("core", []),
                                  "crm": parsed("crm", ["sales", "core"])}, {})
    assert found == [] and order == ["core", "sales", "crm"]
    order, found = order_modules({"a": parsed("a", ["b"]), "b": parsed("b", ["c"]), "c": parsed("c", ["a"])}, {})
    assert len(found) == 1 and "a -> b -> c -> a" in found[0].message and found[0].key == "requires"
    _order, found = order_modules({"a": parsed("a", ["ghost"])}, {"b": ["a"]})
    assert "'ghost' is neither deployed nor part of this deploy" in found[0].message
    _order, found = order_modules({"a": parsed("a", ["b"])}, {"b": ["a"]})   # through a deployed module
    assert "cycle" in found[0].message


def test_a_package_round_trips_with_checksums(tmp_path):
    target = write_package(LAB, "lab", tmp_path)
    assert target.name == "lab-1.0.0.weftpkg"
    with zipfile.ZipFile(target) as archive:
        index = json.loads(archive.read(MANIFEST))
    assert index["name"] == "lab" and index["version"] == "1.0.0"
    assert set(index["files"]) == set(read_module_folder(LAB, "lab").files)
    module = read_package(target.read_bytes(), target.name)
    assert module.files == read_module_folder(LAB, "lab").files


def test_building_a_broken_or_missing_module_fails_with_its_problems(tmp_path):
    with pytest.raises(DeploymentError, match="no module 'nothing'"):
        write_package(LAB, "nothing", tmp_path)
    (tmp_path / "plugins" / "bad").mkdir(parents=True)
    (tmp_path / "plugins" / "bad" / "plugin.yaml").write_text("name: bad\nversion: x.y\n")
    with pytest.raises(DeploymentError) as caught:
        write_package(tmp_path, "bad", tmp_path / "out")
    assert caught.value.problems[0].element == "version"
    assert not (tmp_path / "out").exists()


def archive(entries, index_files=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        listed = index_files if index_files is not None else {}
        zf.writestr(MANIFEST, json.dumps({"format": 1, "name": "m", "version": "1.0", "files": listed}))
        for info, content in entries:
            zf.writestr(info, content)
    return buffer.getvalue()


def link(name):
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


@pytest.mark.parametrize("entries, words", [
    ([("../../etc/passwd", b"x")], "without '..'"),
    ([("plugins/m/../../../x", b"x")], "without '..'"),
    ([("/abs/path", b"x")], "relative"),
    ([("C:/windows/x", b"x")], "relative"),
    ([(link("plugins/m/plugin.yaml"), b"/etc/passwd")], "links are not allowed"),
])
def test_unsafe_archives_are_refused(entries, words):
    with pytest.raises(DeploymentError) as caught:
        read_package(archive(entries), "evil.weftpkg")
    assert any(words in p.message and p.file == "evil.weftpkg" for p in caught.value.problems)


def test_absurd_sizes_are_refused_before_unpacking(monkeypatch):
    from weft.packages import archive as module

    monkeypatch.setattr(module, "MAX_FILE_BYTES", 1000)
    bomb = archive([("plugins/m/big.yaml", b"a" * 5000)])
    assert len(bomb) < 5000
    with pytest.raises(DeploymentError, match="larger than"):
        read_package(bomb, "bomb.weftpkg")
    monkeypatch.setattr(module, "MAX_ARCHIVE_BYTES", 10)
    with pytest.raises(DeploymentError, match="the package is larger"):
        read_package(bomb, "bomb.weftpkg")


def test_checksums_and_listing_must_match():
    content = b"name: m\nversion: '1.0'\n"
    with pytest.raises(DeploymentError) as caught:
        read_package(archive([("plugins/m/plugin.yaml", content), ("forms/m/extra.yaml", b"x: 1")],
                             {"plugins/m/plugin.yaml": "0" * 64, "forms/m/gone.yaml": "0" * 64}), "m.weftpkg")
    messages = [p.message for p in caught.value.problems]
    assert any("checksum does not match" in m for m in messages)
    assert any("extra.yaml: not listed" in m for m in messages)
    assert any("gone.yaml: listed in manifest.json but missing" in m for m in messages)


def test_not_a_zip_or_no_manifest():
    with pytest.raises(DeploymentError, match="not a .weftpkg"):
        read_package(b"PK but not really", "x.weftpkg")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("plugins/m/plugin.yaml", "name: m")
    with pytest.raises(DeploymentError, match="has no manifest.json"):
        read_package(buffer.getvalue(), "x.weftpkg")


def test_build_is_reproducible():
    files = read_module_folder(LAB, "lab")
    manifest_, _ = parse_manifest({"name": "lab", "version": "1.0.0"}, "x")
    assert build_package(files, manifest_) == build_package(files, manifest_)


def test_a_directory_of_too_many_entries_is_refused_before_it_is_read():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for index in range(2001):
            zf.writestr(f"e{index}", b"")
    with pytest.raises(DeploymentError, match="more than 2000 files"):
        read_package(buffer.getvalue(), "many.weftpkg")
