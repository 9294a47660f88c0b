"""CloudFormation helpers shared by deploy/check.py and deploy/check_ec2_code.py: the template's YAML with short
intrinsic tags, and the shapes of IAM policy documents."""

import yaml


class CfnLoader(yaml.SafeLoader):
    """YAML loader that turns short intrinsic tags (!Ref, !GetAtt, !Sub, ...) into their long form."""


def _short_tag(loader, suffix, node):
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if suffix == "Condition":
        return {"Condition": value}
    return {name: value}


CfnLoader.add_multi_constructor("!", _short_tag)


def statements(document):
    """Every statement of a policy document, each branch of a conditional (Fn::If) statement included."""
    for statement in (document or {}).get("Statement", []):
        if isinstance(statement, dict) and set(statement) == {"Fn::If"}:
            for branch in statement["Fn::If"][1:]:
                if isinstance(branch, dict) and "Effect" in branch:
                    yield branch
        elif isinstance(statement, dict):
            yield statement


def as_list(value):
    return value if isinstance(value, list) else [value]
