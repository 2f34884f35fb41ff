#!/usr/bin/env python3
"""Regenerates ops.mlir: one round-trip case per `mlir` example in the op
docs (build/docs/ember/EmberOps.md, generated from the ODS), with the printed
op as its CHECK line. The hand-written cases at the end of ops.mlir are kept.

    cmake --build build --target ember-opt ember-doc
    python3 test/lit/IR/gen_ops.py build      # from the repository root

The printed forms become the expectations: read the diff before keeping it.
"""
import re
import subprocess
import sys

build = sys.argv[1] if len(sys.argv) > 1 else 'build'
path = 'test/lit/IR/ops.mlir'
header = [
    '// RUN: ember-opt %s | ember-opt | FileCheck %s',
    '// RUN: ember-opt %s --mlir-print-op-generic | ember-opt | FileCheck %s',
    '',
    '// Round trip (parse, print, parse again; and through the generic form) of',
    "// every ember op, one function per example of the op's documentation",
    '// (the `mlir` blocks of ir/include/ember/IR/Ember*Ops.td; regenerate with',
    '// gen_ops.py). func.return checks the result types.',
    '',
]


def split_types(text):
    return [t.strip() for t in re.split(r',\s*(?![^<]*>)', text) if t.strip()]


cases, count = [], {}
docs = open(f'{build}/docs/ember/EmberOps.md').read()
for block in re.findall(r'```mlir\n(.*?)```', docs, re.S):
    for line in block.strip().split('\n'):
        line = line.strip()
        if not line.startswith('%'):
            continue
        lhs, rhs = line.split(' = ', 1)
        results = [r.strip() for r in lhs.split(',')]
        op = rhs.split()[0]
        if op == 'ember.constant':
            args, result_types = [], [rhs.rsplit(': ', 1)[1]]
        else:
            sig = rhs.rsplit(' : ', 1)[1]
            if sig.startswith('('):
                ins, outs = sig.split(') -> ')
                in_types = split_types(ins[1:])
                outs = outs.strip()
                result_types = (split_types(outs[1:-1])
                                if outs.startswith('(') else [outs])
            else:  # factories: `: type($result)`
                in_types, result_types = [], [sig.strip()]
            operands = re.findall(r'%\w+', rhs.split('{')[0].split(' : ')[0])
            args = list(zip(operands, in_types))
        name = op.split('.')[1]
        count[name] = count.get(name, 0) + 1
        cases.append((op, f'{name}_{count[name]}', count[name], args,
                      result_types, results, line))

lines = list(header)
for op, fname, k, args, result_types, results, line in cases:
    signature = ', '.join(f'{a}: {t}' for a, t in args)
    returns = ', '.join(result_types)
    returns_paren = f'({returns})' if len(result_types) > 1 else returns
    lines += [
        f'// Tests that {op} round-trips (example {k} of its docs).',
        f'// CHECK-LABEL: func.func @{fname}',
        f'func.func @{fname}({signature}) -> {returns_paren} {{',
        f'  {line}',
        f'  return {", ".join(results)} : {returns}',
        '}',
        '',
    ]
source = '\n'.join(lines) + '\n'

# The printed op of each function becomes its CHECK-NEXT line.
printed = subprocess.run([f'{build}/bin/ember-opt', '-'], input=source,
                         capture_output=True, text=True, check=True).stdout
ops, current = {}, None
for line in printed.split('\n'):
    m = re.match(r'\s*func.func @(\w+)', line)
    if m:
        current = m.group(1)
    elif current and 'ember.' in line:
        ops[current], current = line.strip(), None
final = []
for line in lines:
    final.append(line)
    m = re.match(r'// CHECK-LABEL: func.func @(\w+)', line)
    if m:
        final.append('// CHECK-NEXT: ' +
                     ops[m.group(1)].replace('[[', '{{\\[\\[}}'))

old = open(path).read()
marker = '\n// Tests that ember.constant takes dense literals'
tail = old[old.index(marker):] if marker in old else ''
open(path, 'w').write('\n'.join(final) + tail)
print(f'{len(count)} ops, {len(cases)} examples')
