"""Every language: hello world with stdin, exit codes, compile errors and runtime errors."""

from __future__ import annotations

from typing import Dict

import pytest

from bridge.sandbox import SandboxRunner

from .conftest import run

# language -> (echo stdin program, exit-code-7 program, program that does not compile, runtime error program)
PROGRAMS: Dict[str, Dict[str, str]] = {
    "python": {
        "echo": "name = input()\nprint(f'hello {name}')",
        "exit": "import sys\nsys.exit(7)",
        "broken": "print('unclosed'",
        "crash": "raise ValueError('boom here')",
    },
    "javascript": {
        "echo": "const s = require('fs').readFileSync(0, 'utf8').trim(); console.log(`hello ${s}`);",
        "exit": "process.exit(7);",
        "broken": "console.log('x'",
        "crash": "throw new Error('boom here');",
    },
    "ruby": {
        "echo": 'name = gets.strip\nputs "hello #{name}"',
        "exit": "exit 7",
        "broken": "puts 'x'\ndef broken(",
        "crash": "raise 'boom here'",
    },
    "c": {
        "echo": '#include <stdio.h>\nint main(void){char b[64]; scanf("%63s", b); printf("hello %s\\n", b);}',
        "exit": "int main(void){return 7;}",
        "broken": "int main(void){ return undefined_name; }",
        "crash": '#include <stdio.h>\n#include <stdlib.h>\nint main(void){fprintf(stderr, "boom here\\n"); abort();}',
    },
    "cpp": {
        "echo": "#include <iostream>\n#include <string>\nint main(){std::string s; std::cin >> s; "
        'std::cout << "hello " << s << std::endl;}',
        "exit": "int main(){return 7;}",
        "broken": "int main(){ std::cout << 1; }",
        "crash": '#include <stdexcept>\nint main(){ throw std::runtime_error("boom here"); }',
    },
    "go": {
        "echo": 'package main\nimport "fmt"\nfunc main(){ var s string; fmt.Scan(&s); fmt.Println("hello", s) }',
        "exit": 'package main\nimport "os"\nfunc main(){ os.Exit(7) }',
        "broken": "package main\nfunc main(){ undefinedName() }",
        "crash": 'package main\nfunc main(){ panic("boom here") }',
    },
    "rust": {
        "echo": "use std::io::Read;\nfn main(){ let mut s = String::new(); "
        "std::io::stdin().read_to_string(&mut s)"
        '.unwrap(); println!("hello {}", s.trim()); }',
        "exit": "fn main(){ std::process::exit(7); }",
        "broken": 'fn main(){ let x: i32 = "no"; }',
        "crash": 'fn main(){ panic!("boom here"); }',
    },
    "java": {
        "echo": "public class Main { public static void main(String[] a) { java.util.Scanner s = new "
        'java.util.Scanner(System.in); System.out.println("hello " + s.next()); } }',
        "exit": "public class Main { public static void main(String[] a) { System.exit(7); } }",
        "broken": 'public class Main { public static void main(String[] a) { int x = "no"; } }',
        "crash": "public class Main { public static void main(String[] a) { throw new RuntimeException"
        '("boom here"); } }',
    },
}
COMPILED = {"c", "cpp", "go", "rust", "java"}


@pytest.mark.parametrize("language", list(PROGRAMS))
async def test_language_end_to_end(runner: SandboxRunner, language: str) -> None:
    progs = PROGRAMS[language]

    hello = await run(runner, language, progs["echo"], stdin="world\n")
    assert (hello.status, hello.exit_code, hello.stdout) == ("ok", 0, "hello world\n"), hello
    assert hello.language == language and hello.language_version == runner.languages[language].default_version

    exited = await run(runner, language, progs["exit"])
    assert (exited.status, exited.exit_code) == ("runtime_error", 7), exited

    broken = await run(runner, language, progs["broken"])
    if language in COMPILED:
        assert broken.status == "compile_error", broken
        assert broken.compile_output.strip() and broken.stdout == ""
    else:
        assert broken.status == "runtime_error" and broken.exit_code != 0, broken
        assert "Syntax" in broken.stderr or "syntax" in broken.stderr, broken.stderr

    crashed = await run(runner, language, progs["crash"])
    assert crashed.status in ("runtime_error", "signal"), crashed
    assert "boom here" in crashed.stderr or "boom here" in crashed.stdout, crashed


async def test_stdin_edge_cases(runner: SandboxRunner) -> None:
    code = "import sys\ndata = sys.stdin.buffer.read()\nprint(len(data), data[-3:])"
    empty = await run(runner, "python", code)
    assert empty.stdout == "0 b''\n"
    no_newline = await run(runner, "python", code, stdin="abc")
    assert no_newline.stdout == "3 b'abc'\n"
    big = await run(runner, "python", code, stdin="x" * 500_000)
    assert big.stdout == "500000 b'xxx'\n"
    past_eof = await run(runner, "python", "input()\ninput()")
    assert past_eof.status == "runtime_error" and "EOFError" in past_eof.stderr


async def test_binary_output_is_replaced_not_crashing(runner: SandboxRunner) -> None:
    res = await run(runner, "python", "import sys\nsys.stdout.buffer.write(b'ok\\xff\\xfe\\n')")
    assert res.status == "ok" and res.stdout.startswith("ok") and "\ufffd" in res.stdout


async def test_java_public_class_name_need_not_be_main(runner: SandboxRunner) -> None:
    res = await run(
        runner,
        "java",
        'public class Greeter { public static void main(String[] a) { System.out.println("hi"); } }',
    )
    assert res.stdout == "hi\n", res


async def test_other_python_versions_run_their_own_interpreter(runner: SandboxRunner) -> None:
    versions = [v for v in runner.languages["python"].toolchains if v != runner.languages["python"].default_version]
    if not versions:
        pytest.skip("only one python version on this host")
    version = sorted(versions)[-1]
    res = await run(runner, "python", "import sys\nprint('%d.%d' % sys.version_info[:2])", language_version=version)
    assert res.stdout.strip() == version and res.language_version == version
