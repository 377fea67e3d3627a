"""Check the addons' wheels, as OCA publishes them (whool).

    python setup/check_wheels.py WHEEL_DIR ODOO_SRC ADDON [ADDON ...]

For each addon, the wheel built from its folder must be named
``odoo_addon_<addon>``, carry the manifest's version, require Odoo 19.0, the
wheel of every Odoo addon it depends on that is not part of Odoo itself, and
every Python package of its ``external_dependencies``, and hold every file of
the addon that git tracks (code, data, views, translations, static files).
Prints one line per wheel; exits 1 on the first problem found per wheel.
"""

import ast
import email
import pathlib
import subprocess
import sys
import zipfile

REPO = pathlib.Path(__file__).resolve().parent.parent


def manifest(addon):
    return ast.literal_eval((REPO / addon / "__manifest__.py").read_text())


def core_addons(odoo_src):
    """Names of the addons shipped with Odoo itself (no wheel needed)."""
    return {
        path.parent.name
        for pattern in ("addons/*/__manifest__.py", "odoo/addons/*/__manifest__.py")
        for path in odoo_src.glob(pattern)
    }


def tracked_files(addon):
    out = subprocess.run(
        ["git", "ls-files", addon],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    skip = {"pyproject.toml", "README.rst"}
    return {
        path
        for path in out
        if pathlib.PurePath(path).name not in skip
        and pathlib.PurePath(path).parts[1] != "readme"
    }


def check(wheel_dir, addon, core):
    problems = []
    wheels = sorted(wheel_dir.glob(f"odoo_addon_{addon}-*.whl"))
    if len(wheels) != 1:
        return [f"expected one wheel odoo_addon_{addon}-*.whl, found {len(wheels)}"]
    data = manifest(addon)
    with zipfile.ZipFile(wheels[0]) as archive:
        names = set(archive.namelist())
        meta_name = next(name for name in names if name.endswith(".dist-info/METADATA"))
        meta = email.message_from_bytes(archive.read(meta_name))
    if meta["Name"] != f"odoo-addon-{addon}":
        problems.append(f"distribution name {meta['Name']!r}")
    if not meta["Version"].startswith(data["version"]):
        problems.append(
            f"version {meta['Version']} is not the manifest's {data['version']}"
        )
    requires = set(meta.get_all("Requires-Dist") or [])
    wanted = {"odoo==19.0.*"}
    wanted |= {
        f"odoo-addon-{dep}==19.0.*"
        for dep in data.get("depends", [])
        if dep not in core
    }
    wanted |= set(data.get("external_dependencies", {}).get("python", []))
    missing = sorted(
        want
        for want in wanted
        if not any(req.replace(" ", "").startswith(want) for req in requires)
    )
    if missing:
        problems.append(f"Requires-Dist lacks {', '.join(missing)}")
    files = sorted(
        path for path in tracked_files(addon) if f"odoo/addons/{path}" not in names
    )
    if files:
        problems.append(f"{len(files)} files missing, e.g. {', '.join(files[:3])}")
    if not problems:
        print(
            f"[packages] {wheels[0].name}: {len(names)} files, requires "
            f"{', '.join(sorted(requires))}"
        )
    return problems


def main():
    wheel_dir = pathlib.Path(sys.argv[1])
    core = core_addons(pathlib.Path(sys.argv[2]))
    failed = False
    for addon in sys.argv[3:]:
        for problem in check(wheel_dir, addon, core):
            print(f"[packages] {addon}: {problem}")
            failed = True
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
