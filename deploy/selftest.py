"""The mutation self-test shared by deploy/check_ec2_code.py and deploy/check_settings.py: each module's check(inputs)
returns Results; each of its MUTATIONS breaks one property in memory, on a copy of the real inputs (inputs.copy()),
and must make its own check fail there, while every check passes on the real files."""

from collections import namedtuple

Result = namedtuple("Result", "check ok what")


def replace_text(path, old, new):
    """A mutation replacing old by new in inputs.texts[path] (which must hold old)."""
    def mutate(inputs):
        assert old in inputs.texts[path], f"{path} has no {old!r}"
        inputs.texts[path] = inputs.texts[path].replace(old, new)
    return mutate


def self_test(check, mutations, inputs, verbose=False):
    """(real-failures, [(description, check name, caught, failures)]) for the real inputs and every mutation."""
    real = [r for r in check(inputs) if not r.ok]
    outcomes = []
    for description, name, mutate in mutations:
        broken = inputs.copy()
        try:
            mutate(broken)
            failures = [r for r in check(broken) if not r.ok]
        except Exception as error:   # a mutation that no longer applies is a failed self-test, not a crash
            failures = [Result("error", False, f"{type(error).__name__}: {error}")]
        caught = any(r.check == name for r in failures)
        outcomes.append((description, name, caught, failures))
        if verbose:
            print(f"  {'caught' if caught else 'MISSED'} {description} -> {name}")
            for failure in failures:
                print(f"      FAIL [{failure.check}] {failure.what}")
    return real, outcomes
