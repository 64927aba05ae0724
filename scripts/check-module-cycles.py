#!/usr/bin/env python3
"""Fails when the `companion` crate's top-level modules import each other in a cycle.

The modules must form a DAG (error and ids at the bottom; db, keychain, profiles; then checks,
cards, quota, relay; sandbox and app on top): a cycle means two modules can only be understood,
tested or moved together. An edge A -> B is any `crate::B` path (in a `use` or in code) inside
module A's files. Test code (`#[cfg(test)]` modules, `tests.rs` files) is not counted: tests may
reach anywhere.
"""
import pathlib
import re
import sys

SRC = pathlib.Path(__file__).resolve().parent.parent / "crates" / "companion" / "src"


def top_module(path: pathlib.Path) -> str:
    rel = path.relative_to(SRC)
    return rel.parts[0].removesuffix(".rs")


def strip_tests(text: str) -> str:
    """Drops `#[cfg(test)] mod … { … }` blocks and `#[cfg(test)] mod x;` lines."""
    out, i = [], 0
    pattern = re.compile(r"#\[cfg\(test\)\]\s*(pub(\([^)]*\))?\s+)?mod\s+\w+\s*(;|\{)")
    while True:
        m = pattern.search(text, i)
        if not m:
            out.append(text[i:])
            break
        out.append(text[i : m.start()])
        if m.group(3) == ";":
            i = m.end()
            continue
        depth, j = 1, m.end()
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        i = j
    return "".join(out)


def reexports() -> dict[str, str]:
    """Names lib.rs re-exports at the crate root (`pub use error::{Error, Result}`): a
    `crate::Error` path is an edge to `error`."""
    names = {}
    for module, group in re.findall(r"pub use (\w+)::\{([^}]*)\}", (SRC / "lib.rs").read_text()):
        for name in re.findall(r"\w+", group):
            names[name] = module
    for module, name in re.findall(r"pub use (\w+)::(\w+);", (SRC / "lib.rs").read_text()):
        names[name] = module
    return names


def edges() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    modules = {top_module(p) for p in SRC.iterdir() if p.name != "lib.rs"}
    root = reexports()
    for path in SRC.rglob("*.rs"):
        if path.name == "lib.rs" and path.parent == SRC:
            continue
        if path.name == "tests.rs" or "tests" in path.relative_to(SRC).parts[:-1]:
            continue
        text = strip_tests(path.read_text())
        text = re.sub(r"//[^\n]*", "", text)  # comments (doc links name modules too)
        here = top_module(path)
        graph.setdefault(here, set())
        for target in re.findall(r"\bcrate::(\w+)", text):
            target = root.get(target, target)
            if target in modules and target != here:
                graph[here].add(target)
        # `use crate::{a, b::c}` groups
        for group in re.findall(r"\bcrate::\{([^}]*)\}", text):
            for target in re.findall(r"(?:^|,)\s*(\w+)", group):
                target = root.get(target, target)
                if target in modules and target != here:
                    graph[here].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def main() -> int:
    graph = edges()
    found = cycles(graph)
    if not found:
        print(f"companion: {len(graph)} modules, no import cycle")
        return 0
    for comp in found:
        print("companion: these modules import each other in a cycle: " + ", ".join(comp))
        for a in comp:
            inside = sorted(b for b in graph[a] if b in comp)
            print(f"  {a} -> {', '.join(inside)}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
