"""The repository's size limits, checked by the lint (setup/lint.sh): no file
of an addon's models/, controllers/, wizards/ or report/ over 600 lines,
no function over 60 lines (from its ``def`` to its last line). When a file
or a function grows past them, split it by what things are (STYLE.md,
"When a model grows"), not by line count.

    python setup/check_structure.py FILE...
"""

import ast
import pathlib
import sys

MAX_FILE_LINES = 600
MAX_FUNCTION_LINES = 60
#: the folders of an addon whose files are held to MAX_FILE_LINES
CODE_FOLDERS = ("models", "controllers", "wizards", "report")


def problems(path):
    """The size problems of the Python file ``path``, one line each."""
    text = path.read_text(encoding="utf-8")
    found = []
    lines = text.count("\n")
    if path.parent.name in CODE_FOLDERS and lines > MAX_FILE_LINES:
        found.append(f"{path}: {lines} lines (at most {MAX_FILE_LINES})")
    for node in ast.walk(ast.parse(text, filename=str(path))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append(
                    f"{path}:{node.lineno}: {node.name} is {length} lines long "
                    f"(at most {MAX_FUNCTION_LINES})"
                )
    return found


def main(paths):
    found = [line for path in paths for line in problems(pathlib.Path(path))]
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
