#!/usr/bin/env python3
"""Authoring aid for the first batch of conformance cases (spec/vectors.md, "Adding a case").

NOT used by CI or the tests: the committed case files are the source of truth. This script
only creates the case files it defines that do not exist yet, with `"expected": {}`; then
`scalingo-manifest conformance regen` writes every `expected`. Ids are given in the order
of definition; the script refuses to run when an existing file with one of its ids has a
different description (so it can never renumber or overwrite a case).

Usage: python3 spec/vectors/tools/author.py   (from the crate root)
"""
import base64
import json
import os
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
EXAMPLES = os.path.join(ROOT, "..", "examples")
CASES = []


def case(cap, rules, description, inp, decisions=(), status="required", tags=()):
    CASES.append({
        "id": "SMC-%04d" % (len(CASES) + 1),
        "rules": list(rules),
        "decisions": list(decisions),
        "description": description,
        "capability": cap,
        "status": status,
        "tags": list(tags),
        "input": inp,
        "expected": {},
    })


def js(obj):
    """A manifest as a user writes it: 2-space JSON, final newline."""
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


def b64(data):
    return base64.b64encode(data).decode("ascii")


def v(rules, description, text, **kw):
    case("validate", rules, description, {"manifest": text}, **kw)


def vb(rules, description, data, **kw):
    kw["tags"] = tuple(kw.get("tags", ())) + ("base64",)
    case("validate", rules, description, {"manifest_base64": b64(data)}, **kw)


def vp(rules, description, parts, **kw):
    case("validate", rules, description, {"manifest_parts": parts}, **kw)


# ---------------------------------------------------------------------------------------
# validate: documentation examples
DOCS = [
    ("one-click-sample-go-martini.json", ["JSON-7", "MAN-ADD-3", "DIAG-9", "DIAG-10", "DIAG-11"], ["D-17", "D-6"],
     "the one-click page's sample-go-martini manifest misses a comma before addons and is still read"),
    ("manifest-env-example.json", ["MAN-ENV-4", "MAN-ENV-6", "MAN-ENV-7"], ["D-10"],
     "the manifest page's env example with a value, a url template and a secret is valid"),
    ("manifest-addons-example.json", ["MAN-ADD-4", "MAN-ADD-5"], ["D-6"],
     "the manifest page's addons example with a plan object and a version option is valid"),
    ("manifest-scripts-example.json", ["MAN-SCR-2", "MAN-SCR-3"], ["D-12"],
     "the manifest page's scripts example is valid with a deprecation warning for postdeploy"),
    ("manifest-formation-example.json", ["MAN-FRM-3", "MAN-FRM-4"], ["D-15"],
     "the manifest page's formation example with L web and XL worker containers is valid"),
    ("schema-sample-go-martini.json", ["MAN-2", "MAN-ADD-3", "MAN-SCR-3"], ["D-5", "D-6", "D-12"],
     "the schema page's sample-go-martini manifest is valid with legacy addon and postdeploy warnings"),
    ("schema-formation-example.json", ["MAN-FRM-4", "DIAG-3"], ["D-15"],
     "the schema page's formation example, the same bytes as the manifest page's, is valid and has no finding"),
]
for name, rules, decisions, desc in DOCS:
    with open(os.path.join(EXAMPLES, "manifests", name), encoding="utf-8") as f:
        v(rules, desc, f.read(), decisions=decisions, tags=("docs-example",))

# JSON-1 .. JSON-9
vb(["JSON-1"], "a Latin-1 byte in a string is invalid UTF-8, reported at the byte",
   b'{"name": "caf\xe9"}', decisions=["D-17"])
vb(["JSON-1", "MAN-7"], "findings after an invalid UTF-8 byte are still reported",
   b'{\n  "description": "\xff\xfe",\n  "nmae": "x"\n}\n', decisions=["D-17"], tags=("recovery",))
v(["JSON-1", "DIAG-5"], "four-byte UTF-8 characters count as one column each",
  '{"description": "\U0001F680\U0001F680", "nmae": 1}', tags=("unicode",))
vb(["JSON-2"], "a UTF-8 byte order mark before the manifest is an error",
   b'\xef\xbb\xbf{"name": "x"}', decisions=["D-17"], tags=("schema-difference",))
vb(["JSON-2", "MAN-7"], "after a byte order mark the rest of the manifest is still checked",
   b'\xef\xbb\xbf{\n  "nmae": "x"\n}\n', decisions=["D-17"], tags=("recovery",))
v(["JSON-3"], "an empty manifest file is an error", "", decisions=["D-1"])
v(["JSON-3"], "a manifest of only white space is an error", " \n\t\n", decisions=["D-1"])
v(["JSON-4"], "a member without a colon is a syntax error", '{"a" 1}', decisions=["D-17"])
v(["JSON-4"], "an object that is never closed is an unexpected end of input",
  '{\n  "name": "x",\n  "env": {\n', decisions=["D-17"])
v(["JSON-4"], "single-quoted strings are not JSON", "{'name': 'x'}", decisions=["D-17"])
v(["JSON-4"], "a hexadecimal number is not JSON", '{"formation": {"web": {"amount": 0x1}}}',
  decisions=["D-17"])
v(["JSON-4"], "a number with a leading plus sign is not JSON", '{"formation": {"web": {"amount": +1}}}',
  decisions=["D-17"])
v(["JSON-4"], "a number with a leading zero is not JSON", '{"formation": {"web": {"amount": 01}}}',
  decisions=["D-17"])
v(["JSON-4"], "a number with a bare decimal point is not JSON", '{"formation": {"web": {"amount": .5}}}',
  decisions=["D-17"])
v(["JSON-4"], "an invalid escape in a string is an error", '{"name": "a\\qb"}', decisions=["D-17"])
v(["JSON-4"], "an unpaired surrogate escape is an invalid string", '{"name": "\\ud800x"}',
  decisions=["D-17"])
v(["JSON-4", "MAN-7"], "a raw tab inside a string is reported and the string is still read",
  '{"description": "a\tb", "nmae": 1}', decisions=["D-17"], tags=("recovery",))
v(["JSON-4"], "text after the manifest object is an error", "{} x", decisions=["D-17"])
v(["JSON-4"], "an unquoted key is an error", '{name: "x"}', decisions=["D-17"])
v(["JSON-4"], "an unterminated string is an unexpected end of input", '{"name": "x', decisions=["D-17"])
v(["JSON-4"], "an unterminated block comment is an unexpected end of input", '{} /* never closed',
  decisions=["D-17"])
v(["JSON-4", "DIAG-6"], "the pointer of a syntax finding is the reference's choice",
  '{"env": {"A" {"value": "x"}}}', decisions=["D-17"], status="implementation-defined")
v(["JSON-5", "MAN-7"], "line and block comments are errors and later keys are still checked",
  '{\n  // the app\n  "name": "x", /* legacy */\n  "cron": []\n}\n', decisions=["D-17"],
  tags=("recovery", "dokku"))
v(["JSON-6", "MAN-ENV-4"], "a trailing comma in an env entry is an error and the number value is still read",
  '{"env": {"A": {"value": 1,}}}', decisions=["D-17", "D-8"], tags=("recovery",))
v(["JSON-6"], "a trailing comma in the addons array is an error",
  '{\n  "addons": [\n    "redis",\n  ]\n}\n', decisions=["D-17"])
v(["JSON-7"], "a missing comma between two top-level members is reported at the second one",
  '{\n  "name": "x"\n  "stack": "scalingo-22"\n}\n', decisions=["D-17"])
v(["JSON-7", "MAN-ADD-8"], "a missing comma between addons is reported and both addons are read",
  '{"addons": ["redis" 5]}', decisions=["D-17"], tags=("recovery",))
v(["JSON-8"], "a duplicate stack key is a warning at the later key",
  '{"stack": "scalingo-20", "stack": "scalingo-22"}', decisions=["D-17"], tags=("schema-difference",))
v(["JSON-8", "MAN-ENV-3"], "a duplicate env variable keeps its last entry and drops the earlier one unchecked",
  '{"env": {\n  "A": "x",\n  "A": {"value": "y"}\n}}', decisions=["D-17", "D-9"])
v(["JSON-8"], "keys are compared after unescaping when looking for duplicates",
  '{"name": "a", "n\\u0061me": "b"}', decisions=["D-17"])
v(["JSON-9"], "CRLF line endings get one note", '{\r\n  "name": "x"\r\n}\r\n')
v(["JSON-9", "DIAG-5", "MAN-FRM-3"], "lines and columns of a CRLF manifest are those of the LF file",
  '{\r\n  "formation": {\r\n    "web": { "amount": 1, "size": "m" }\r\n  }\r\n}\r\n', decisions=["D-15"])

# LIM-1 .. LIM-7
vp(["LIM-1"], "a manifest one byte over 1 MiB is not read",
   [{"text": '{"description": "'}, {"text": "x", "repeat": 1048557}, {"text": '"}\n'}],
   tags=("resource-limit", "schema-difference"))
vp(["LIM-1"], "a manifest of exactly 1 MiB is read",
   [{"text": '{"description": "'}, {"text": "x", "repeat": 1048556}, {"text": '"}\n'}],
   tags=("resource-limit",))
v(["LIM-2"], "nesting deeper than 32 levels is an error at the first bracket beyond",
  '{"a": ' + "[" * 40 + "]" * 40 + "}", tags=("resource-limit",))
v(["LIM-2", "MAN-7"], "nesting of exactly 32 levels is read",
  '{"x": ' + "[" * 31 + "]" * 31 + "}", tags=("resource-limit",))
v(["LIM-3"], "the 1001st env entry is an error and is not read",
  '{"env": {' + ", ".join('"V%d": {"required": false}' % i for i in range(1001)) + "}}",
  tags=("resource-limit", "schema-difference"))
v(["LIM-4"], "the 101st addon is an error",
  '{"addons": [' + ", ".join(['"redis"'] * 101) + "]}", tags=("resource-limit",))
v(["LIM-5"], "the 101st formation entry is an error",
  '{"formation": {' + ", ".join('"p%d": {"amount": 1}' % i for i in range(101)) + "}}",
  tags=("resource-limit",))
v(["LIM-6"], "an amount of 1001 is above the limit", '{"formation": {"web": {"amount": 1001}}}',
  decisions=["D-14"], tags=("resource-limit", "schema-difference"))
v(["LIM-6"], "an amount of 1000 is at the limit and valid", '{"formation": {"web": {"amount": 1000}}}',
  decisions=["D-14"], tags=("resource-limit",))
v(["LIM-6"], "an amount with twenty digits is above the limit",
  '{"formation": {"web": {"amount": 99999999999999999999}}}', decisions=["D-14"], tags=("resource-limit",))
v(["LIM-6", "MAN-FRM-5"], "a quantity above 1000 is above the limit too",
  '{"formation": {"web": {"quantity": 5000}}}', decisions=["D-14"], tags=("resource-limit", "heroku"))
v(["LIM-7", "DIAG-12"], "only the first 1000 findings are listed and a dropped error keeps the file invalid",
  "{" + ", ".join('"k%d": 1' % i for i in range(1500)) + ', "name": 5}', tags=("resource-limit",))

# MAN-1 .. MAN-9
v(["MAN-1"], "an array is not a manifest", "[]")
v(["MAN-1"], "a string is not a manifest", '"scalingo"')
v(["MAN-1"], "null is not a manifest", "null")
v(["MAN-1", "DIAG-3"], "an empty object is a valid manifest", "{}", decisions=["D-1", "D-5"])
v(["MAN-2"], "a name that is a number is a type error", '{"name": 5}')
v(["MAN-2"], "a description that is an array is a type error", '{"description": ["a", "b"]}')
v(["MAN-2"], "a manifest without a name is valid", js({"description": "No name here", "env": {}}),
  decisions=["D-5"], tags=("schema-difference",))
v(["MAN-2"], "the $schema key is accepted", js({"$schema": "https://example.com/scalingo.schema.json", "name": "x"}))
v(["MAN-2"], "a very long description is valid", js({"description": "d" * 500}))
v(["MAN-3"], "an empty logo is treated as absent with a note", '{"logo": ""}')
v(["MAN-3"], "a website without scheme is a warning", '{"website": "example.com"}', tags=("schema-difference",))
v(["MAN-3"], "an ftp logo URL is a warning", '{"logo": "ftp://example.com/logo.png"}')
v(["MAN-3"], "https logo and website URLs are valid",
  js({"logo": "https://example.com/logo.png", "website": "https://example.com/"}))
v(["MAN-4"], "an empty repository is an error", '{"repository": ""}', decisions=["D-4"], tags=("schema-difference",))
v(["MAN-4"], "a ref of only spaces is an error", '{"ref": "   "}', decisions=["D-4"])
v(["MAN-4"], "a repository and a ref are valid strings",
  js({"repository": "https://github.com/acme/shop", "ref": "dev"}), decisions=["D-4"])
v(["MAN-5"], "a Heroku stack is a warning", '{"stack": "heroku-22"}', decisions=["D-16"], tags=("heroku", "schema-difference"))
v(["MAN-5"], "the stack scalingo-24 is valid", '{"stack": "scalingo-24"}', decisions=["D-16"], tags=("schema-difference",))
v(["MAN-5"], "a misspelt Scalingo stack is a warning", '{"stack": "scalingo22"}', decisions=["D-16"])
v(["MAN-5"], "Heroku's container stack is a warning", '{"stack": "container"}', decisions=["D-16"], tags=("heroku",))
v(["MAN-6"], "copy_parent_database_urls as the string false is a note", '{"copy_parent_database_urls": "false"}',
  decisions=["D-18"], tags=("schema-difference",))
v(["MAN-6"], "copy_parent_database_urls as yes is an error", '{"copy_parent_database_urls": "yes"}', decisions=["D-18"])
v(["MAN-6"], "copy_parent_database_urls as a number is an error", '{"copy_parent_database_urls": 1}', decisions=["D-18"])
v(["MAN-6"], "copy_parent_database_urls true is valid", '{"copy_parent_database_urls": true}', decisions=["D-18"])
v(["MAN-7", "DIAG-8"], "a misspelt top-level key is a warning", '{"nmae": "x"}')
v(["MAN-7", "DIAG-6"], "an unknown key with a slash and a tilde has an escaped pointer", '{"a/b~": 1}',
  tags=("pointer-escaping",))
v(["MAN-7"], "real-world unknown keys are warnings",
  js({"name": "x", "homepage": "https://example.com", "license": "MIT", "generated_by": "tool"}),
  tags=("real-world-shape", "schema-difference"))
v(["MAN-8"], "Heroku and dokku top-level keys are warnings",
  js({"buildpacks": [{"url": "heroku/ruby"}], "environments": {"test": {}}, "image": "heroku/ruby",
      "keywords": ["rails"], "success_url": "/welcome"}), tags=("heroku", "schema-difference"))

# MAN-ENV-*
v(["MAN-ENV-1"], "env as an array is an error", '{"env": []}')
v(["MAN-ENV-1"], "env as null is an error", '{"env": null}')
v(["MAN-ENV-1"], "an empty env object is valid", '{"env": {}}')
v(["MAN-ENV-2"], "a variable name with a space is an error",
  js({"env": {"ACTION_MAILER_DEFAULT HOST": {"value": "example.com"}}}), tags=("real-world-shape", "schema-difference"))
v(["MAN-ENV-2"], "variable names starting with an underscore or a digit are errors",
  js({"env": {"_PRIVATE": {"value": "x"}, "1ST": {"value": "y"}}}), tags=("schema-difference",))
v(["MAN-ENV-2"], "a variable name with a hyphen is an error", js({"env": {"my-var": {"value": "x"}}}))
v(["MAN-ENV-2"], "an empty variable name is an error", js({"env": {"": {"value": "x"}}}))
v(["MAN-ENV-2"], "a variable name of 65 characters is an error", js({"env": {"A" * 65: {"value": "x"}}}))
v(["MAN-ENV-2"], "a variable name of 64 characters is valid", js({"env": {"A" * 64: {"value": "x"}}}))
v(["MAN-ENV-2", "DIAG-5"], "a variable name with a non-ASCII letter is an error",
  js({"env": {"CAFÉ": {"value": "x"}}}), tags=("unicode",))
v(["MAN-ENV-2", "DIAG-6"], "an invalid variable name with a slash and a tilde has an escaped pointer",
  js({"env": {"A/B~C": {"value": "x"}}}), tags=("pointer-escaping",))
v(["MAN-ENV-3"], "a string shorthand is a warning", js({"env": {"RAILS_ENV": "staging"}}),
  decisions=["D-9"], tags=("heroku", "schema-difference"))
v(["MAN-ENV-3"], "an empty string shorthand deletes the variable with a warning", js({"env": {"DEBUG": ""}}),
  decisions=["D-9", "D-8"])
v(["MAN-ENV-3"], "a number shorthand is a warning", js({"env": {"WEB_CONCURRENCY": 5}}), decisions=["D-8"],
  tags=("schema-difference",))
v(["MAN-ENV-3"], "a boolean shorthand is a warning", js({"env": {"DEBUG": True}}), decisions=["D-8"])
v(["MAN-ENV-3"], "a null shorthand is a warning", js({"env": {"OLD_VAR": None}}), decisions=["D-8"])
v(["MAN-ENV-3"], "an array entry is an error", js({"env": {"A": ["x"]}}), decisions=["D-8"])
v(["MAN-ENV-4"], "a number value is a warning", js({"env": {"MATOMO_AUTO_ARCHIVING_FREQUENCY": {"value": 3600}}}),
  decisions=["D-8"], tags=("real-world-shape", "schema-difference"))
v(["MAN-ENV-4"], "a boolean value is a warning", js({"env": {"DEBUG": {"value": False}}}), decisions=["D-8"])
v(["MAN-ENV-4"], "an object value is an error", js({"env": {"A": {"value": {}}}}), decisions=["D-8"])
v(["MAN-ENV-4"], "an array value is an error", js({"env": {"A": {"value": ["x"]}}}), decisions=["D-8"])
v(["MAN-ENV-4"], "a null value deletes the variable and is valid", js({"env": {"A": {"value": None}}}),
  decisions=["D-8"], tags=("schema-difference",))
vp(["MAN-ENV-5"], "a value of 32769 characters is an error",
   [{"text": '{"env": {"A": {"value": "'}, {"text": "x", "repeat": 32769}, {"text": '"}}}'}],
   tags=("resource-limit", "schema-difference"))
vp(["MAN-ENV-5"], "a value of 32768 two-byte characters is valid",
   [{"text": '{"env": {"A": {"value": "'}, {"text": "é", "repeat": 32768}, {"text": '"}}}'}],
   tags=("resource-limit", "unicode"))
vp(["MAN-ENV-5"], "a template of 32769 characters is an error",
   [{"text": '{"env": {"A": {"generator": "template", "template": "'}, {"text": "t", "repeat": 32769}, {"text": '"}}}'}],
   decisions=["D-10"], tags=("resource-limit",))
v(["MAN-ENV-6"], "a value and a generator together are an error",
  js({"env": {"A": {"value": "x", "generator": "secret"}}}), decisions=["D-10"])
v(["MAN-ENV-6"], "a null value with a generator is still an error",
  js({"env": {"A": {"value": None, "generator": "secret"}}}), decisions=["D-10"])
v(["MAN-ENV-6", "DIAG-8"], "a generator with the wrong case is an error",
  js({"env": {"SECRET_KEY": {"generator": "Secret"}}}), decisions=["D-10"], tags=("schema-difference",))
v(["MAN-ENV-6"], "a dokku shell generator is an error", js({"env": {"WORKERS": {"generator": "echo 5"}}}),
  decisions=["D-10"], tags=("dokku",))
v(["MAN-ENV-6"], "a generator that is not a string is an error",
  js({"env": {"A": {"generator": 1}, "B": {"generator": None}}}), decisions=["D-10"])
v(["MAN-ENV-7"], "a template without a generator is an error",
  js({"env": {"A": {"value": "x", "template": "%APP%"}}}), decisions=["D-10"])
v(["MAN-ENV-7"], "a template with the secret generator is an error",
  js({"env": {"A": {"generator": "secret", "template": "%APP%"}}}), decisions=["D-10"])
v(["MAN-ENV-7"], "the template generator without a template is an error",
  js({"env": {"A": {"generator": "template"}}}), decisions=["D-10"])
v(["MAN-ENV-7"], "a template that is not a string is an error",
  js({"env": {"A": {"generator": "template", "template": 5}}}), decisions=["D-10"])
v(["MAN-ENV-7"], "the url generator without a template is valid", js({"env": {"APP_URL": {"generator": "url"}}}),
  decisions=["D-10"])
v(["MAN-ENV-8"], "an unknown lowercase token is a warning and a lone percent sign is text",
  js({"env": {"LINK": {"generator": "url", "template": "%URL%/x?%url%&100%"}}}), decisions=["D-10"],
  tags=("schema-difference",))
v(["MAN-ENV-8"], "an unknown token in a string with an escape spans the whole string",
  '{"env": {"A": {"generator": "template", "template": "%FOO%\\/x"}}}', decisions=["D-10"])
v(["MAN-ENV-8"], "PR_NUMBER and PARENT_APP tokens are valid in any manifest",
  js({"env": {"TITLE": {"generator": "template", "template": "PR %PR_NUMBER% of %PARENT_APP% at %URL%"}}}),
  decisions=["D-10"])
v(["MAN-ENV-9"], "required as the string true is a note", js({"env": {"A": {"required": "true"}}}),
  tags=("schema-difference",))
v(["MAN-ENV-9"], "required as yes is an error", js({"env": {"A": {"required": "yes"}}}))
v(["MAN-ENV-9"], "required as a number is an error", js({"env": {"A": {"required": 1}}}))
v(["MAN-ENV-10"], "a description that is a number is an error and the value is kept",
  js({"env": {"A": {"description": 5, "value": "x"}}}))
v(["MAN-ENV-11"], "a misspelt value key is a warning", js({"env": {"A": {"vaule": "x"}}}),
  tags=("schema-difference",))
v(["MAN-ENV-11"], "default, sync and secret keys in an env entry are warnings",
  js({"env": {"A": {"default": "x"}, "B": {"sync": True, "value": "y"}, "C": {"secret": True}}}),
  tags=("dokku",))
v(["MAN-ENV-12"], "PROJECT_DIR in the manifest env is a warning", js({"env": {"PROJECT_DIR": {"value": "api"}}}),
  decisions=["D-3"])
v(["MAN-ENV-13"], "an empty env entry is a note", js({"env": {"A": {}}}), tags=("schema-difference",))
v(["MAN-ENV-13"], "an env entry with only a description has no finding",
  js({"env": {"SMTP_PASSWORD": {"description": "set me"}, "API_KEY": {"required": True}}}),
  tags=("real-world-shape", "schema-difference"))

# MAN-ADD-*
v(["MAN-ADD-1"], "addons as an object is an error", '{"addons": {}}')
v(["MAN-ADD-1"], "addons as null is an error", '{"addons": null}', decisions=["D-7"])
v(["MAN-ADD-1"], "an empty addons list is valid", '{"addons": []}', decisions=["D-7"])
v(["MAN-ADD-2"], "an addon with an empty plan after the colon is an error", '{"addons": ["redis:"]}', decisions=["D-6"])
v(["MAN-ADD-2", "DIAG-8"], "an addon reference in upper case is an error", '{"addons": ["Redis:Free"]}',
  decisions=["D-6"], tags=("schema-difference",))
v(["MAN-ADD-2"], "addon references with an empty provider, two colons or nothing are errors",
  '{"addons": [":plan", "a:b:c", ""]}', decisions=["D-6"])
v(["MAN-ADD-2"], "a legacy provider id with a colon is an error",
  '{"addons": [{"addon_provider_id": "redis:x"}]}', decisions=["D-6"])
v(["MAN-ADD-2", "MAN-ADD-4"], "string addons with and without a plan are valid",
  js({"addons": ["redis", "postgresql:postgresql-starter-512", {"plan": "mongodb"}]}), decisions=["D-6"],
  tags=("schema-difference",))
v(["MAN-ADD-3"], "a legacy scalingo- provider in a plan object is a warning",
  js({"addons": [{"plan": "scalingo-postgresql:postgresql-starter-512"}]}), decisions=["D-6"],
  tags=("schema-difference",))
v(["MAN-ADD-4"], "an addon object without a plan is an error", js({"addons": [{"options": {"version": "7"}}]}),
  decisions=["D-6"])
v(["MAN-ADD-4"], "an addon plan that is a number is an error", js({"addons": [{"plan": 5}]}), decisions=["D-6"])
v(["MAN-ADD-4"], "Heroku's as in an addon object is a warning",
  js({"addons": [{"as": "DATABASE", "plan": "postgresql"}]}), decisions=["D-6"], tags=("heroku", "schema-difference"))
v(["MAN-ADD-5"], "a number version is a warning", js({"addons": [{"plan": "postgresql", "options": {"version": 9.5}}]}),
  decisions=["D-6"], tags=("schema-difference",))
v(["MAN-ADD-5"], "an option other than version is a warning",
  js({"addons": [{"plan": "redis", "options": {"maxmemory_policy": "allkeys-lru"}}]}), decisions=["D-6"],
  tags=("real-world-shape", "schema-difference"))
v(["MAN-ADD-5"], "an empty version is a warning", js({"addons": [{"plan": "redis", "options": {"version": ""}}]}),
  decisions=["D-6"])
v(["MAN-ADD-5", "MAN-ADD-4"], "a boolean version is an error", js({"addons": [{"plan": "redis", "options": {"version": True}}]}),
  decisions=["D-6"])
v(["MAN-ADD-5", "MAN-ADD-4"], "options that are not an object are an error", js({"addons": [{"plan": "redis", "options": "v7"}]}),
  decisions=["D-6"])
v(["MAN-ADD-6"], "a legacy addon object is a warning",
  js({"addons": [{"addon_provider_id": "redis", "plan_id": "redis-sandbox"}]}), decisions=["D-6"],
  tags=("schema-difference",))
v(["MAN-ADD-6"], "a plan mixed with a legacy provider id is an error",
  js({"addons": [{"plan": "redis", "addon_provider_id": "redis"}]}), decisions=["D-6"])
v(["MAN-ADD-6", "MAN-ADD-4"], "a legacy plan id that is a number is an error",
  js({"addons": [{"addon_provider_id": "redis", "plan_id": 5}]}), decisions=["D-6"])
v(["MAN-ADD-7", "DIAG-8"], "an unknown key in an addon object is a warning",
  js({"addons": [{"plna": "x", "plan": "redis"}]}), decisions=["D-6"], tags=("schema-difference",))
v(["MAN-ADD-8"], "a number addon is an error", '{"addons": [5, "redis"]}', decisions=["D-6"])
v(["MAN-ADD-8"], "null, boolean and array addons are errors", '{"addons": [null, true, ["redis"]]}', decisions=["D-6"])
v(["MAN-ADD-9"], "a Heroku add-on provider is a warning", '{"addons": ["heroku-postgresql:mini", "heroku-redis"]}',
  decisions=["D-6"], tags=("heroku", "real-world-shape"))

# MAN-FRM-*
v(["MAN-FRM-1"], "formation as an array is an error", '{"formation": [{"process": "web", "quantity": 1}]}',
  tags=("heroku",))
v(["MAN-FRM-1"], "a formation entry that is a number is an error", '{"formation": {"web": 1}}')
v(["MAN-FRM-2"], "a process type with an underscore is an error",
  js({"formation": {"stream_consumer": {"amount": 1, "size": "S"}}}), decisions=["D-15"],
  tags=("real-world-shape", "schema-difference"))
v(["MAN-FRM-2"], "a postdeploy formation entry is an error", js({"formation": {"postdeploy": {"amount": 1}}}),
  decisions=["D-15"], tags=("schema-difference",))
v(["MAN-FRM-2"], "a process type of 25 characters is an error",
  js({"formation": {"a" * 25: {"amount": 1}}}), decisions=["D-15"])
v(["MAN-FRM-2"], "mixed-case process types with digits are valid",
  js({"formation": {"Web2": {"amount": 1, "size": "S"}, "tcp": {"amount": 1, "size": "M"}}}), decisions=["D-15"])
v(["MAN-FRM-3", "DIAG-1", "DIAG-8"], "a lowercase size is an error", js({"formation": {"web": {"amount": 1, "size": "m"}}}),
  decisions=["D-15"])
v(["MAN-FRM-3"], "a Heroku dyno size is an error", js({"formation": {"web": {"amount": 1, "size": "free"}}}),
  decisions=["D-15"], tags=("heroku", "real-world-shape"))
v(["MAN-FRM-3"], "Heroku performance and standard sizes are errors",
  js({"formation": {"web": {"size": "Standard-2X"}, "worker": {"size": "performance-l"}}}),
  decisions=["D-15"], tags=("heroku",))
v(["MAN-FRM-3"], "a size that is a number is an error", js({"formation": {"web": {"size": 2}}}), decisions=["D-15"])
v(["MAN-FRM-3"], "every Scalingo size from S to 3XL is valid",
  js({"formation": {"a": {"size": "S", "amount": 1}, "b": {"size": "M", "amount": 1}, "c": {"size": "L", "amount": 1},
                    "d": {"size": "XL", "amount": 1}, "e": {"size": "2XL", "amount": 1}, "f": {"size": "3XL", "amount": 1}}}),
  decisions=["D-15"], tags=("schema-difference",))
v(["MAN-FRM-4"], "an amount written 1.0 is an error", '{"formation": {"web": {"amount": 1.0}}}', decisions=["D-14"],
  tags=("schema-difference",))
v(["MAN-FRM-4"], "negative, fractional and exponent amounts are errors",
  '{"formation": {"a": {"amount": -1}, "b": {"amount": 1.5}, "c": {"amount": 1e2}, "d": {"amount": -0}}}',
  decisions=["D-14"])
v(["MAN-FRM-4"], "string and null amounts are errors", '{"formation": {"a": {"amount": "1"}, "b": {"amount": null}}}',
  decisions=["D-14"])
v(["MAN-FRM-4"], "an amount of 0 is valid", '{"formation": {"web": {"amount": 0, "size": "S"}}}', decisions=["D-14"])
v(["MAN-FRM-5"], "Heroku's quantity is read as the amount with a warning",
  js({"formation": {"web": {"quantity": 2, "size": "L"}}}), decisions=["D-14"], tags=("heroku", "schema-difference"))
v(["MAN-FRM-5"], "amount and quantity together are an error", js({"formation": {"web": {"amount": 1, "quantity": 2}}}),
  decisions=["D-14"], tags=("schema-difference",))
v(["MAN-FRM-6"], "a misspelt amount key is a warning", js({"formation": {"web": {"ammount": 1}}}))
v(["MAN-FRM-6"], "Heroku and dokku formation keys are warnings",
  js({"formation": {"web": {"amount": 1, "autoscaling": {"min": 1}}, "worker": {"amount": 1, "max_parallel": 2}}}),
  tags=("heroku", "dokku", "schema-difference"))

# MAN-SCR-*
v(["MAN-SCR-1"], "scripts as a string is an error", '{"scripts": "x"}')
v(["MAN-SCR-2"], "a first-deploy script that is an array is an error", js({"scripts": {"first-deploy": ["a"]}}))
v(["MAN-SCR-2", "MAN-SCR-3"], "a postdeploy script that is a number is an error", js({"scripts": {"postdeploy": 5}}))
v(["MAN-SCR-3"], "scripts.postdeploy is deprecated", js({"scripts": {"postdeploy": "bundle exec rake db:migrate"}}),
  decisions=["D-12"], tags=("schema-difference",))
v(["MAN-SCR-4"], "an empty postdeploy script is a warning without deprecation", js({"scripts": {"postdeploy": ""}}),
  decisions=["D-12"], tags=("real-world-shape",))
v(["MAN-SCR-4"], "a first-deploy of only spaces is a warning", js({"scripts": {"first-deploy": "   "}}))
v(["MAN-SCR-5"], "Heroku and dokku scripts are warnings",
  js({"scripts": {"pr-predestroy": "rake cleanup", "dokku": {"predeploy": "x"}, "test-setup": "x", "test": "rake"}}),
  tags=("heroku", "dokku", "schema-difference"))
v(["MAN-SCR-6", "DIAG-8"], "a first_deploy script with an underscore is a warning", js({"scripts": {"first_deploy": "x"}}))
v(["MAN-SCR-6"], "predeploy and release scripts are warnings",
  js({"scripts": {"predeploy": "x", "release": "y"}}), tags=("heroku",))

# DIAG-*
v(["DIAG-5", "JSON-4"], "columns count Unicode scalar values, not bytes",
  '{"name": "Café Crème", "x": ?}', tags=("unicode",), decisions=["D-17"])
v(["DIAG-4", "DIAG-2", "DIAG-7", "MAN-2"], "findings are listed in source order whatever their severity",
  js({"website": "example.com", "name": 5, "logo": "", "stack": "heroku-20"}), decisions=["D-16"])
v(["DIAG-3", "MAN-7"], "a manifest with only warnings and notes is valid",
  js({"nmae": "x", "logo": "", "copy_parent_database_urls": "true"}), decisions=["D-18"])

# ---------------------------------------------------------------------------------------
# procfile
def p(rules, description, text, **kw):
    case("procfile", rules, description, {"procfile": text}, **kw)


def pb(rules, description, data, **kw):
    kw["tags"] = tuple(kw.get("tags", ())) + ("base64",)
    case("procfile", rules, description, {"procfile_base64": b64(data)}, **kw)


def pp(rules, description, parts, **kw):
    case("procfile", rules, description, {"procfile_parts": parts}, **kw)


p(["PROC-1"], "a line without a colon is an error", "web: npm start\nworker node w.js\n")
p(["PROC-1"], "colons after the first belong to the command", 'web: gunicorn "app:create_app()"\nworker: rake jobs:work\n')
p(["PROC-1"], "an empty command is an error and declares nothing", "web:\nworker: node w.js\n")
p(["PROC-1"], "an empty name is an error", ": node w.js\n")
p(["PROC-1"], "comments and blank lines are ignored and a hash in a command is kept",
  "# processes\n\n   # indented comment\nweb: npm start # not a comment\n \t\n")
p(["PROC-1"], "spaces and tabs around the name and the command are trimmed", "web  :\t npm start \t\n")
p(["PROC-2"], "a name with a hyphen is an error but is kept", "web: a\nmy-worker: node w.js\n", tags=("heroku",))
p(["PROC-2"], "a name of 25 letters is an error", "abcdefghijklmnopqrstuvwxy: x\n")
p(["PROC-2"], "a name of 24 letters is valid", "abcdefghijklmnopqrstuvwx: x\n")
p(["PROC-2"], "a name with a space is an error", "my worker: x\n")
p(["PROC-2", "DIAG-5"], "a name with a non-ASCII letter is an error", "wörker: x\n", tags=("unicode",))
p(["PROC-2"], "post_deploy with an underscore is an error", "post_deploy: rake db:migrate\n")
p(["PROC-3"], "a process type defined twice keeps the first definition", "web: first\nworker: w\nweb: second\n")
p(["PROC-3", "PROC-4"], "web and Web are different process types", "web: a\nWeb: b\n", status="optional")
p(["PROC-4", "PROC-11"], "postdeploy is the hook and not a process type", "web: npm start\npostdeploy: npm run migrate\n",
  decisions=["D-12"])
p(["PROC-4"], "web, tcp and postdeploy are reserved names", "tcp: ./gateway\nweb: ./server\npostdeploy: ./migrate\n")
p(["PROC-4"], "PostDeploy with capitals is an ordinary process type with a warning", "PostDeploy: npm run migrate\n",
  status="optional")
p(["PROC-5"], "Heroku's release process type is a warning", "web: a\nrelease: rake db:migrate\n",
  status="optional", tags=("heroku",))
pb(["PROC-6"], "invalid UTF-8 in a command is reported once and read", b"web: caf\xe9 start\nworker: \xff\n")
pb(["PROC-6"], "a UTF-16 byte order mark is an error and nothing is read", b"\xff\xfew\x00e\x00b\x00:\x00 \x00x\x00")
pb(["PROC-6"], "a UTF-8 byte order mark is an error and the rest is read", b"\xef\xbb\xbfweb: npm start\n")
p(["PROC-7"], "CRLF line endings of a Procfile get one note", "web: a\r\nworker: b\r\n")
p(["PROC-7"], "a carriage return without line feed is an error", "web: a\rworker: b\n")
p(["PROC-7"], "a missing final newline is fine", "web: npm start")
p(["PROC-8"], "an indented process line is read with a warning", "web: a\n  worker: b\n", status="optional")
p(["PROC-9"], "no space after the colon is a YAML warning", "web:npm start\n", status="optional")
p(["PROC-9"], "a colon followed by a space in a command is a YAML warning", "web: echo step: 1\n", status="optional")
p(["PROC-9"], "a command starting with a YAML indicator is a warning", "web: [ -f x ] && ./start\nworker: *star\n",
  status="optional")
p(["PROC-9"], "a colon inside a word and a quoted command give no YAML warning",
  "web: rake jobs:work\nworker: 'node w.js'\n")
p(["PROC-10"], "an empty Procfile is a warning", "", status="optional")
p(["PROC-10"], "a Procfile of only comments is a warning", "# nothing yet\n\n", status="optional")
p(["PROC-10", "PROC-11"], "a Procfile with only postdeploy has no finding", "postdeploy: yarn migrations\n")
p(["PROC-10", "PROC-1"], "a Procfile whose lines all have errors is not also reported as empty", "web\nworker\n")
p(["PROC-11"], "entries are listed in file order with their lines",
  "# app\nworker: node w.js\n\nweb: node server.js\nclock: node clock.js\n")
pp(["PROC-LIM-1"], "a Procfile one byte over 1 MiB is not read",
   [{"text": "web: "}, {"text": "x", "repeat": 1048572}], tags=("resource-limit",))
p(["PROC-LIM-2"], "the 1001st process line is an error and the lines after it are ignored",
  "# generated\n" + "".join("p%d: run %d\n" % (i, i) for i in range(1002)), tags=("resource-limit",))
pp(["PROC-LIM-3"], "a command of 4097 bytes is an error", [{"text": "web: "}, {"text": "x", "repeat": 4097}],
   tags=("resource-limit",))
pp(["PROC-LIM-3"], "a command of 4096 bytes is valid", [{"text": "web: "}, {"text": "x", "repeat": 4096}],
   tags=("resource-limit",))
pp(["PROC-LIM-4", "DIAG-12"], "2000 findings give 1000 diagnostics and a note",
   [{"text": " x\n", "repeat": 1000}], tags=("resource-limit",))

# ---------------------------------------------------------------------------------------
# locate
def l(rules, description, files, project_dir=None, **kw):
    inp = {"files": files}
    if project_dir is not None:
        inp["project_dir"] = project_dir
    case("locate", rules, description, inp, **kw)


l(["LOC-1"], "a leading slash in PROJECT_DIR is read from the repository root",
  ["api/scalingo.json", "api/Procfile"], "/api/", decisions=["D-3"])
l(["LOC-1"], "PROJECT_DIR with a parent segment is an error and nothing is located",
  ["scalingo.json", "Procfile"], "../other", decisions=["D-3"])
l(["LOC-1"], "a parent segment inside PROJECT_DIR is an error even when it stays inside",
  ["b/scalingo.json"], "a/../b", decisions=["D-3"])
l(["LOC-1"], "a control character in PROJECT_DIR is an error", ["api/app.json"], "api\t", decisions=["D-3"])
l(["LOC-1"], "a backslash in PROJECT_DIR is an error", ["api/web/app.json"], "api\\web", decisions=["D-3"])
l(["LOC-1"], "a PROJECT_DIR of 4097 bytes is an error", ["scalingo.json"], "a" * 4097, decisions=["D-3"],
  tags=("resource-limit",))
l(["LOC-1"], "dot and empty segments of PROJECT_DIR are dropped",
  ["api/v2/app.json", "api/v2/Procfile"], "./api//v2/", decisions=["D-3"])
l(["LOC-1"], "a PROJECT_DIR of a single dot is the root", ["scalingo.json", "Procfile"], ".", decisions=["D-3"])
l(["LOC-1", "DIAG-5"], "PROJECT_DIR keeps spaces and non-ASCII names",
  ["my app/café/scalingo.json"], "my app/café", decisions=["D-3"], tags=("unicode",))
l(["LOC-2"], "an absolute path is ignored and never the root manifest", ["/scalingo.json", "app.json"])
l(["LOC-2"], "paths with empty, dot or .git segments are ignored",
  ["a//scalingo.json", "./app.json", ".git/scalingo.json", "x/.GIT/app.json", "app.json"])
l(["LOC-2"], "a path listed twice counts once", ["app.json", "app.json", "Procfile"])
l(["LOC-2"], "invalid paths beyond the first 100 are counted in one note",
  ["/f%d" % i for i in range(105)] + ["scalingo.json"], tags=("resource-limit",))
l(["LOC-3"], "a PROJECT_DIR that names no folder is a warning and the search still runs",
  ["scalingo.json", "web/index.js"], "api", decisions=["D-2"], status="optional")
l(["LOC-3"], "a PROJECT_DIR that names a file is a warning", ["api", "scalingo.json"], "api", status="optional")
l(["LOC-4"], "the manifest is searched from PROJECT_DIR up to the root",
  ["a/app.json", "a/b/c/main.go"], "a/b/c", decisions=["D-2"])
l(["LOC-4"], "no manifest anywhere is a note", ["Procfile", "main.go"], decisions=["D-1"])
l(["LOC-4"], "the search never goes down into subfolders", ["api/scalingo.json", "Procfile"], decisions=["D-2"])
l(["LOC-4", "LOC-8"], "a manifest at the root and a Procfile in PROJECT_DIR",
  ["scalingo.json", "api/Procfile", "api/main.go"], "api", decisions=["D-2", "D-3"])
l(["LOC-5"], "scalingo.json beats app.json in the same folder", ["app.json", "scalingo.json"])
l(["LOC-5"], "app.json alone is the manifest", ["app.json", "Procfile"])
l(["LOC-6"], "an app.json in PROJECT_DIR beats a scalingo.json at the root",
  ["scalingo.json", "api/app.json", "api/Procfile"], "api", decisions=["D-2"])
l(["LOC-6"], "every manifest farther up gets a note",
  ["scalingo.json", "app.json", "a/app.json", "a/b/scalingo.json", "a/b/x"], "a/b", decisions=["D-2"])
l(["LOC-7"], "a manifest name with capitals is not a manifest", ["Scalingo.json"], status="optional")
l(["LOC-7"], "an upper-case APP.JSON in PROJECT_DIR is reported",
  ["api/APP.JSON", "app.json", "api/Procfile"], "api", status="optional")
l(["LOC-8", "LOC-6"], "the Procfile of PROJECT_DIR is used", ["api/Procfile", "api/app.json", "app.json"], "api",
  decisions=["D-2"])
l(["LOC-8"], "a root Procfile is not used when PROJECT_DIR is a subfolder",
  ["Procfile", "scalingo.json", "api/main.go"], "api", status="optional")
l(["LOC-8"], "a lowercase procfile is not the Procfile", ["procfile", "scalingo.json"], status="optional")
l(["LOC-8"], "without PROJECT_DIR the root Procfile is used", ["Procfile", "app.json", "lib/x.rb"])

# ---------------------------------------------------------------------------------------
# source
def s(rules, description, request=None, manifest=None, default_branch=None, **kw):
    inp = {}
    if request is not None:
        inp["request"] = request
    if manifest is not None:
        inp["manifest"] = manifest
    if default_branch is not None:
        inp["default_branch"] = default_branch
    kw.setdefault("decisions", ["D-4"])
    case("source", rules, description, inp, **kw)


GH = "https://github.com/"
s(["SRC-1"], "the source parameter beats the Referer",
  {"referer": GH + "a/blog", "source": GH + "a/shop#staging"})
s(["SRC-1", "SRC-10"], "a Referer on a repository page names the repository", {"referer": GH + "a/blog"})
s(["SRC-1"], "neither source nor Referer is an error", {})
s(["SRC-1"], "an empty source counts as absent and the Referer is used", {"referer": GH + "a/blog", "source": ""})
s(["SRC-2"], "a tree Referer gives the ref and warns about the folder", {"referer": GH + "o/r/tree/main/api"})
s(["SRC-2", "SRC-1"], "a Referer on an issue page is ignored", {"referer": GH + "o/r/issues/3"})
s(["SRC-2", "SRC-1"], "the bare GitHub origin as Referer is ignored", {"referer": GH})
s(["SRC-2"], "a blob Referer gives the ref", {"referer": GH + "o/r/blob/v2/README.md"})
s(["SRC-2"], "the query and fragment of a Referer are ignored", {"referer": GH + "o/r?tab=readme-ov-file#readme"})
s(["SRC-2"], "a percent-encoded slash in a tree Referer is part of the ref", {"referer": GH + "o/r/tree/feature%2Fx"})
s(["SRC-2", "SRC-1"], "a Referer from another host is ignored", {"referer": "https://gitlab.com/o/r"})
s(["SRC-3"], "an http source is an error", {"source": "http://github.com/heroku/go-getting-started"})
s(["SRC-3"], "an SSH address is not a URL", {"source": "git@github.com:o/r.git"})
s(["SRC-3"], "https without slashes is not accepted", {"source": "https:github.com/o/r"})
s(["SRC-3"], "a tab inside a URL is an error", {"source": "https://github.com/o/\tr"})
s(["SRC-3"], "an http manifest repository is an error",
  {"source": GH + "o/r"}, {"repository": "http://github.com/other/code"})
s(["SRC-4"], "credentials in the source URL are an error", {"source": "https://alice:hunter2@github.com/o/r"})
s(["SRC-4"], "an empty user-info part is an error", {"source": "https://@github.com/o/r"})
s(["SRC-5"], "a GitLab manifest repository is an error", {"source": GH + "o/r"},
  {"repository": "https://gitlab.com/baserow/baserow"})
s(["SRC-5"], "www.github.com is the same host", {"source": "https://www.github.com/o/r"})
s(["SRC-5", "SRC-3"], "a percent-escaped host is an error", {"source": "https://%67ithub.com/o/r"})
s(["SRC-5"], "gist.github.com is another host", {"source": "https://gist.github.com/o/r"})
s(["SRC-5"], "a port other than 443 is an error", {"source": "https://github.com:8443/o/r"})
s(["SRC-6"], "a .git suffix and a trailing slash are removed", {"source": GH + "o/r.git/"})
s(["SRC-6"], "an owner without repository is an error", {"source": GH + "natemacs"})
s(["SRC-6"], "a blob URL as source is an error", {"source": GH + "o/r/blob/main/app.json"})
s(["SRC-6"], "an owner starting with a hyphen is an error", {"source": GH + "-bad/r"})
s(["SRC-6", "SRC-3"], "a repository path of .. is removed by URL parsing and names no repository", {"source": GH + "o/.."})
s(["SRC-6"], "a repository name with an exclamation mark is an error", {"source": GH + "o/r!x"})
s(["SRC-6"], "a query string in source is ignored with a note", {"source": GH + "o/r?token=abc"})
s(["SRC-6"], "a tree path in source gives the ref", {"source": GH + "o/r/tree/dev"})
s(["SRC-6"], "a tree path with two segments in source is an error", {"source": GH + "o/r/tree/feature/x"})
s(["SRC-6"], "a GitHub settings page is not an owner", {"source": GH + "settings/profile"})
s(["SRC-7"], "a ref with a space is invalid", {"source": GH + "o/r#my branch"})
s(["SRC-7"], "an empty fragment names no ref", {"source": GH + "o/r#"})
s(["SRC-7"], "a tree ref and a different fragment are an error", {"source": GH + "o/r/tree/dev#main"})
s(["SRC-7"], "a manifest ref with two dots is invalid", {"source": GH + "o/r"}, {"ref": "release..1"})
s(["SRC-7"], "a commit SHA is a valid ref", {"source": GH + "o/r#a1b2c3d"})
s(["SRC-7"], "an invalid default branch is an error", {"source": GH + "o/r"}, default_branch="bad..branch")
s(["SRC-7"], "a ref ending in .lock is invalid", {"source": GH + "o/r#topic.lock"})
s(["SRC-8"], "a manifest repository redirects the code and the ref comes from the default branch",
  {"source": GH + "o/r#dev"}, {"repository": GH + "other/code"}, "trunk")
s(["SRC-8"], "a manifest repository naming the candidate confirms it and keeps the fragment",
  {"source": GH + "Scalingo/sample-go-martini#custom_branch"},
  {"repository": GH + "Scalingo/sample-go-martini"})
s(["SRC-8"], "owner and name are compared without case when confirming",
  {"source": GH + "acme/shop#dev"}, {"repository": GH + "ACME/Shop"})
s(["SRC-8", "SRC-10"], "a manifest repository with a fragment redirects with that ref",
  {"referer": GH + "a/blog"}, {"repository": GH + "other/code#v2"})
s(["SRC-9", "SRC-3"], "an invalid source never falls back to the Referer",
  {"referer": GH + "good/repo", "source": "http://github.com/o/r"})
s(["SRC-9", "SRC-6"], "an invalid manifest repository never falls back to the candidate",
  {"source": GH + "o/r"}, {"repository": "https://github.com/o"})
s(["SRC-9", "SRC-7"], "an invalid manifest ref never falls back to the fragment",
  {"source": GH + "o/r#dev"}, {"ref": "bad ref"}, "main")
s(["SRC-10"], "the manifest ref overrides the fragment with a note", {"source": GH + "o/r#dev"}, {"ref": "v3"})
s(["SRC-10"], "without any ref the default is master with a note", {"source": GH + "o/r"})
s(["SRC-10"], "the scenario's default branch is used when no ref is written", {"source": GH + "o/r"},
  default_branch="main")
s(["SRC-10"], "the manifest ref applies to a redirected repository",
  {"source": GH + "o/r"}, {"repository": GH + "other/code", "ref": "stable"})

# ---------------------------------------------------------------------------------------
# env
def e(rules, description, inp, **kw):
    case("env", rules, description, inp, **kw)


RA = {"kind": "review-app", "app": "my-app-pr10", "parent_app": "my-app", "pr_number": 10}
OC = {"kind": "one-click", "app": "my-app"}


def ra(**kw):
    d = dict(RA)
    d.update(kw)
    return d


def oc(**kw):
    d = dict(OC)
    d.update(kw)
    return d


e(["ENV-1", "ENV-9"], "the review app gets the parent's env minus a deleted variable",
  ra(parent_env={"K": "v", "DEL": "x"}, manifest_env={"DEL": {"value": None}}), decisions=["D-8", "D-19"])
e(["ENV-2"], "the user's value wins over a secret generator",
  oc(seed=1, manifest_env={"SECRET_KEY": {"generator": "secret"}}, user_env={"SECRET_KEY": "abc"}), decisions=["D-11"])
e(["ENV-2"], "the user's value wins over a deletion", oc(manifest_env={"A": {"value": None}}, user_env={"A": "typed"}))
e(["ENV-3", "GEN-7"], "one-click defaults: a value and a url template",
  oc(manifest_env={"ENVIRONMENT": {"value": "staging"}, "ADMIN_URL": {"generator": "url", "template": "%URL%/admin"}}),
  decisions=["D-10"])
e(["ENV-3"], "a one-click deletion or an entry without value sets nothing",
  oc(manifest_env={"A": {"value": ""}, "B": {"description": "optional"}, "C": None}), decisions=["D-8"])
e(["ENV-3"], "without a manifest a one-click app gets only the user's values",
  oc(user_env={"ADMIN_EMAIL": "me@example.com"}), decisions=["D-1"])
e(["ENV-3", "MAN-ENV-3"], "a one-click string shorthand is a default value",
  oc(manifest_env={"RAILS_ENV": "production", "WEB_CONCURRENCY": 3}), decisions=["D-9", "D-8"])
e(["ENV-4"], "a required variable without value is an error", oc(manifest_env={"API_KEY": {"required": True}}))
e(["ENV-4"], "a required variable is satisfied by a generator or a value",
  oc(seed=3, manifest_env={"S": {"required": True, "generator": "secret"}, "V": {"required": True, "value": "x"}}),
  decisions=["D-11"], tags=("exact-secrets",))
e(["ENV-4"], "required as the string true is enforced", oc(manifest_env={"A": {"required": "true"}}))
e(["ENV-4"], "required is not enforced for a review app", ra(manifest_env={"API_KEY": {"required": True}}),
  decisions=["D-19"])
e(["ENV-5"], "a user value for an undeclared name is set with a note",
  oc(manifest_env={"A": {"value": "x"}}, user_env={"EXTRA": "1"}))
e(["ENV-5"], "a user value without a manifest env key gets no note", oc(user_env={"EXTRA": "1"}), decisions=["D-1"])
e(["ENV-6"], "an empty user value keeps the manifest default", oc(manifest_env={"A": {"value": "default"}}, user_env={"A": ""}))
e(["ENV-6", "ENV-4"], "an empty user value leaves a required variable missing",
  oc(manifest_env={"A": {"required": True}}, user_env={"A": "", "B": ""}))
e(["ENV-7"], "without a manifest the review app gets the parent's env", ra(parent_env={"A": "1", "B": "2"}),
  decisions=["D-1", "D-19"])
e(["ENV-8"], "parent addon variables are not copied by default",
  ra(parent_env={"SCALINGO_POSTGRESQL_URL": "postgres://prod", "OTHER": "o"}, parent_addon_vars=["SCALINGO_POSTGRESQL_URL"]),
  decisions=["D-18"])
e(["ENV-8"], "copy_parent_database_urls true copies parent addon variables",
  ra(parent_env={"SCALINGO_REDIS_URL": "redis://prod"}, parent_addon_vars=["SCALINGO_REDIS_URL"],
     copy_parent_database_urls=True), decisions=["D-18"])
e(["ENV-8", "MAN-6"], "copy_parent_database_urls as the string true copies with a note",
  ra(parent_env={"SCALINGO_REDIS_URL": "redis://prod"}, parent_addon_vars=["SCALINGO_REDIS_URL"],
     copy_parent_database_urls="true"), decisions=["D-18"])
e(["ENV-8", "MAN-6"], "an invalid copy_parent_database_urls falls back to false",
  ra(parent_env={"SCALINGO_REDIS_URL": "redis://prod"}, parent_addon_vars=["SCALINGO_REDIS_URL"],
     copy_parent_database_urls="yes"), decisions=["D-18"])
e(["ENV-8", "ENV-9"], "a manifest rule still applies to a parent addon variable",
  ra(parent_env={"SCALINGO_REDIS_URL": "redis://prod"}, parent_addon_vars=["SCALINGO_REDIS_URL"],
     manifest_env={"SCALINGO_REDIS_URL": {"value": "redis://review"}}), decisions=["D-18", "D-19"])
e(["ENV-8"], "copy_parent_database_urls has no effect on a one-click deploy",
  oc(copy_parent_database_urls=True, manifest_env={}), decisions=["D-18"])
e(["ENV-9"], "the manifest wins over the parent and deletes a variable",
  ra(parent_env={"RAILS_ENV": "production", "DEBUG": "0"},
     manifest_env={"RAILS_ENV": {"value": "staging"}, "DEBUG": {"value": None}}), decisions=["D-19", "D-8"])
e(["ENV-9"], "an empty string shorthand deletes a parent variable",
  ra(parent_env={"NEW_RELIC_LICENSE_KEY": "nr"}, manifest_env={"NEW_RELIC_LICENSE_KEY": ""}), decisions=["D-9", "D-19"])
e(["ENV-9"], "generators replace parent values in a review app",
  ra(seed=42, parent_env={"SECRET_KEY": "production-secret", "ADMIN_URL": "https://prod/admin"},
     manifest_env={"SECRET_KEY": {"generator": "secret"}, "ADMIN_URL": {"generator": "url", "template": "%URL%/admin"}}),
  decisions=["D-19", "D-11"], tags=("exact-secrets",))
e(["ENV-9"], "deleting an addon variable keeps the parent-addon-var reason",
  ra(parent_env={"SCALINGO_REDIS_URL": "r"}, parent_addon_vars=["SCALINGO_REDIS_URL"],
     manifest_env={"SCALINGO_REDIS_URL": {"value": None}}), decisions=["D-18"])
e(["ENV-10"], "an entry without value keeps the parent's value",
  ra(parent_env={"API_KEY": "k"}, manifest_env={"API_KEY": {"required": True}, "NEW": {"description": "x"}}),
  decisions=["D-19"])
e(["ENV-10"], "an entry without value does not restore a removed addon variable",
  ra(parent_env={"SCALINGO_REDIS_URL": "r"}, parent_addon_vars=["SCALINGO_REDIS_URL"],
     manifest_env={"SCALINGO_REDIS_URL": {"description": "kept?"}}), decisions=["D-18", "D-19"])
e(["ENV-11", "MAN-ENV-12"], "PROJECT_DIR in the manifest env is set and reported once",
  ra(parent_env={"PROJECT_DIR": "web"}, manifest_env={"PROJECT_DIR": {"value": "api"}}), decisions=["D-3"])
e(["ENV-12"], "a user variable with a space in its name is skipped",
  oc(user_env={"BAD NAME": "x", "GOOD": "y"}))
e(["ENV-12"], "a parent variable with an invalid name is removed", ra(parent_env={"_HIDDEN": "x", "1ST": "y", "OK": "z"}))
e(["ENV-12"], "a parent value over 32768 characters is removed", ra(parent_env={"BIG": "x" * 32769, "OK": "z"}),
  tags=("resource-limit",))
e(["ENV-12"], "a user value over 32768 characters is skipped and the default applies",
  oc(manifest_env={"A": {"value": "default"}}, user_env={"A": "y" * 32769}), tags=("resource-limit",))
e(["ENV-13", "GEN-9"], "a template expanding past 32768 characters fails and removes the parent value",
  {"kind": "review-app", "app": "a" * 1000, "parent_app": "p", "pr_number": 1, "parent_env": {"BIG": "p"},
   "manifest_env": {"BIG": {"generator": "template", "template": "%APP%" * 33}}},
  decisions=["D-10"], tags=("resource-limit",))
e(["ENV-14"], "a parent env given to a one-click deploy is ignored with a warning",
  oc(parent_env={"P": "p"}, manifest_env={"A": {"value": "x"}}))
e(["ENV-14"], "user values given to a review app are ignored with a warning",
  ra(parent_env={"A": "1"}, user_env={"A": "typed"}))
e(["GEN-1"], "a secret depends only on the seed and its name",
  oc(seed=7, manifest_env={"SECRET_KEY": {"generator": "secret"}}), decisions=["D-11"], tags=("exact-secrets",))
e(["GEN-1"], "adding another secret does not change the first",
  oc(seed=7, manifest_env={"SECRET_KEY": {"generator": "secret"}, "OTHER_SECRET": {"generator": "secret"}}),
  decisions=["D-11"], tags=("exact-secrets",))
e(["GEN-2"], "seed 0 and SECRET_KEY give the pinned secret",
  oc(seed=0, manifest_env={"SECRET_KEY": {"generator": "secret"}}), decisions=["D-11"], tags=("exact-secrets",))
e(["GEN-2"], "seed 42 and SECRET_KEY_BASE give the pinned secret",
  oc(seed=42, manifest_env={"SECRET_KEY_BASE": {"generator": "secret"}}), decisions=["D-11"], tags=("exact-secrets",))
e(["GEN-2"], "the largest seed and DJANGO_SECRET give the pinned secret",
  oc(seed=18446744073709551615, manifest_env={"DJANGO_SECRET": {"generator": "secret"}}), decisions=["D-11"],
  tags=("exact-secrets",))
e(["GEN-2"], "seed 42 gives the pinned secrets of the sample manifest",
  oc(seed=42, manifest_env={"SECRET_KEY": {"generator": "secret"}, "VAR_SECRET_1": {"generator": "secret"}}),
  decisions=["D-11"], tags=("exact-secrets",))
e(["GEN-2", "GEN-1"], "secret names are used as written without case folding",
  oc(seed=42, manifest_env={"secret_key": {"generator": "secret"}, "SECRET_KEY": {"generator": "secret"}}),
  decisions=["D-11"], tags=("exact-secrets",))
e(["GEN-3"], "without a seed secrets are random and compared by shape",
  oc(manifest_env={"SECRET_KEY": {"generator": "secret"}, "OTHER_SECRET": {"generator": "secret"}}),
  decisions=["D-11"])
e(["GEN-4", "MAN-ENV-8"], "an unknown token is kept verbatim and reported once",
  ra(manifest_env={"LINK": {"generator": "template", "template": "%url%/x?q=100%"}}), decisions=["D-10"])
e(["GEN-4"], "tokens do not overlap and stray percent signs are text",
  ra(manifest_env={"A": {"generator": "template", "template": "%APP%PP% %% % APP % %APP"}}), decisions=["D-10"])
e(["GEN-5", "GEN-8"], "review-app tokens expand to the parent name and the PR number",
  ra(manifest_env={"DB": {"generator": "template", "template": "%PARENT_APP%-%PR_NUMBER%"}}), decisions=["D-10"])
e(["GEN-5"], "one-click tokens without value expand to empty with a warning",
  oc(manifest_env={"DB": {"generator": "template", "template": "db-%PR_NUMBER%%PARENT_APP%"}}), decisions=["D-10"])
e(["GEN-6"], "expanded text is not scanned again",
  {"kind": "one-click", "app": "%URL%", "manifest_env": {"A": {"generator": "template", "template": "%APP%"}}},
  decisions=["D-10"])
e(["GEN-7"], "the url generator without template is the app URL", oc(manifest_env={"APP_URL": {"generator": "url"}}),
  decisions=["D-10"])
e(["GEN-7"], "the url generator uses the region", oc(region="osc-secnum-fr1", manifest_env={"APP_URL": {"generator": "url"}}),
  decisions=["D-10"])
e(["GEN-7"], "a url template without the URL token is allowed",
  ra(manifest_env={"CALLBACK": {"generator": "url", "template": "https://%APP%.example.com/cb"}}), decisions=["D-10"])
e(["GEN-8"], "the template generator expands every known token",
  ra(manifest_env={"INFO": {"generator": "template", "template": "%APP% %URL% %PARENT_APP% %PR_NUMBER%"}}),
  decisions=["D-10"], tags=("schema-difference",))
e(["GEN-9"], "a template expanding to exactly 32768 characters is set",
  {"kind": "one-click", "app": "b" * 1024, "manifest_env": {"A": {"generator": "template", "template": "%APP%" * 32}}},
  decisions=["D-10"], tags=("resource-limit",))
e(["MAN-9", "ENV-9", "MAN-ENV-6"], "an invalid manifest env entry is left out and the others still apply",
  ra(parent_env={"A": "p", "B": "p"}, manifest_env={"A": {"value": "x", "generator": "secret"}, "B": {"value": "m"}}),
  decisions=["D-10"])

# ---------------------------------------------------------------------------------------
# addons
def a(rules, description, inp, **kw):
    case("addons", rules, description, inp, **kw)


PARENT = [{"addon": "postgresql", "plan": "postgresql-business-1024", "version": "14"},
          {"addon": "redis", "plan": "redis-starter-256"},
          {"addon": "elasticsearch", "plan": "elasticsearch-starter-1024"}]
a(["ADD-1", "ADD-7"], "manifest addons keep their order", {"kind": "one-click", "manifest_addons": ["postgresql", "redis"]})
a(["ADD-2"], "a review app without addons key copies the parent's addons", {"kind": "review-app", "parent_addons": PARENT},
  decisions=["D-7"])
a(["ADD-2"], "a review app of a parent without addons gets none", {"kind": "review-app"}, decisions=["D-7"])
a(["ADD-3", "ADD-4"], "a review app's addons list replaces the parent's",
  {"kind": "review-app", "parent_addons": PARENT,
   "manifest_addons": ["redis:redis-starter-128", "postgresql:postgresql-starter-512"]}, decisions=["D-7"])
a(["ADD-3", "ADD-4"], "an empty addons list means no addons for a review app",
  {"kind": "review-app", "parent_addons": PARENT[:2], "manifest_addons": []}, decisions=["D-7"])
a(["ADD-3"], "a one-click deploy without addons key provisions nothing", {"kind": "one-click"}, decisions=["D-1"])
a(["ADD-3"], "a one-click deploy ignores parent addons",
  {"kind": "one-click", "parent_addons": PARENT, "manifest_addons": ["redis:redis-starter-128"]})
a(["ADD-3", "MAN-ADD-5"], "the manifest page's addons example provisions two addons",
  {"kind": "one-click", "manifest_addons": [{"plan": "postgresql:postgresql-starter-512", "options": {"version": "11"}},
                                            {"plan": "redis:redis-starter-128"}]}, decisions=["D-6"])
a(["ADD-4"], "a parent addon left out of the list gets a note",
  {"kind": "review-app", "parent_addons": PARENT, "manifest_addons": ["redis"]}, decisions=["D-7"])
a(["ADD-5"], "an addon without plan takes the parent's plan",
  {"kind": "review-app", "parent_addons": [{"addon": "redis", "plan": "redis-starter-256"}], "manifest_addons": ["redis"]})
a(["ADD-5"], "the first parent addon of a provider gives the plan",
  {"kind": "review-app", "parent_addons": [{"addon": "redis", "plan": "redis-starter-256"},
                                           {"addon": "redis", "plan": "redis-business-1024"}],
   "manifest_addons": [{"plan": "redis"}]})
a(["ADD-6"], "an addon without version takes the parent's version",
  {"kind": "review-app", "parent_addons": PARENT, "manifest_addons": ["postgresql:postgresql-starter-512"]})
a(["ADD-6"], "a written version is kept over the parent's",
  {"kind": "review-app", "parent_addons": PARENT,
   "manifest_addons": [{"plan": "postgresql", "options": {"version": "16"}}]})
a(["ADD-6"], "no version anywhere gives a null version",
  {"kind": "review-app", "parent_addons": [{"addon": "redis", "plan": "redis-starter-256", "version": None}],
   "manifest_addons": ["redis:redis-starter-512"]})
a(["ADD-7"], "a one-click addon without plan uses the provider's default plan",
  {"kind": "one-click", "manifest_addons": ["redis"]}, decisions=["D-6"])
a(["ADD-7"], "a review-app addon the parent lacks uses the provider's default plan",
  {"kind": "review-app", "parent_addons": PARENT[:1], "manifest_addons": ["postgresql", "mongodb"]})
a(["ADD-8"], "a provider listed twice alike is provisioned once with a warning",
  {"kind": "one-click", "manifest_addons": ["redis", "redis"]})
a(["ADD-8"], "a provider listed twice with different plans is an error",
  {"kind": "one-click", "manifest_addons": ["redis", "redis:redis-starter-512"]})
a(["ADD-8", "MAN-ADD-3"], "a legacy scalingo- name and the plain name are the same provider",
  {"kind": "one-click", "manifest_addons": ["scalingo-redis", "redis"]}, decisions=["D-6"])
a(["ADD-8"], "providers are compared exactly", {"kind": "one-click", "manifest_addons": ["redis", "redis-cluster"]})
a(["MAN-9", "MAN-ADD-8"], "an invalid addon element is left out and the rest is provisioned",
  {"kind": "review-app", "parent_addons": PARENT, "manifest_addons": ["redis", 5]}, decisions=["D-6", "D-7"])
a(["MAN-ADD-6", "ADD-3"], "a legacy addon object provisions its provider and plan",
  {"kind": "one-click", "manifest_addons": [{"addon_provider_id": "scalingo-mongodb", "plan_id": "mongo-starter-256"}]},
  decisions=["D-6"])
a(["MAN-ADD-9", "ADD-3"], "a Heroku add-on name is kept as written",
  {"kind": "one-click", "manifest_addons": ["heroku-postgresql:mini"]}, tags=("heroku",))
a(["MAN-ADD-1", "ADD-2"], "addons null is an error and the review app copies the parent's",
  {"kind": "review-app", "parent_addons": PARENT[:1], "manifest_addons": None}, decisions=["D-7"])
a(["MAN-ADD-5", "ADD-3"], "a number version is used as its text",
  {"kind": "one-click", "manifest_addons": [{"plan": "postgresql:postgresql-starter-512", "options": {"version": 9.5}}]},
  decisions=["D-6"])

# ---------------------------------------------------------------------------------------
# formation
def f(rules, description, inp, **kw):
    case("formation", rules, description, inp, **kw)


f(["FRM-1"], "the process types are the Procfile's plus web",
  {"kind": "one-click", "procfile": "web: a\nworker: b\npostdeploy: c\n"})
f(["FRM-1", "FRM-9"], "without a Procfile the only type is web", {"kind": "one-click", "procfile": None}, decisions=["D-1"])
f(["FRM-1"], "a Procfile without web still has web", {"kind": "one-click", "procfile": "worker: node w.js\n"})
f(["FRM-2"], "one-click defaults are one web and no worker of size M",
  {"kind": "one-click", "procfile": "web: a\nworker: b\n"}, decisions=["D-15"])
f(["FRM-3"], "a review app clones the parent's formation except what the manifest names",
  {"kind": "review-app", "procfile": "web: a\nworker: b\nclock: c\n",
   "parent_formation": {"web": {"amount": 4, "size": "XL"}, "worker": {"amount": 2, "size": "L"}, "clock": {"amount": 1, "size": "S"}},
   "manifest_formation": {"worker": {"amount": 0, "size": "S"}}})
f(["FRM-3"], "an empty formation object changes nothing",
  {"kind": "review-app", "procfile": "web: a\n", "parent_formation": {"web": {"amount": 3, "size": "L"}},
   "manifest_formation": {}})
f(["FRM-3"], "a review app without parent formation gets the defaults", {"kind": "review-app", "procfile": "web: a\nworker: b\n"})
f(["FRM-4"], "manifest entries set amount and size",
  {"kind": "one-click", "procfile": "web: a\nworker: b\n",
   "manifest_formation": {"web": {"amount": 2, "size": "L"}, "worker": {"amount": 1, "size": "XL"}}}, decisions=["D-15"])
f(["FRM-4", "MAN-FRM-5"], "Heroku's quantity sets the amount", {"kind": "one-click", "procfile": "web: a\n",
  "manifest_formation": {"web": {"quantity": 3, "size": "S"}}}, decisions=["D-14"], tags=("heroku",))
f(["FRM-5"], "an entry without amount takes the parent's amount",
  {"kind": "review-app", "procfile": "web: a\n", "parent_formation": {"web": {"amount": 2, "size": "L"}},
   "manifest_formation": {"web": {"size": "S"}}}, decisions=["D-15"])
f(["FRM-5"], "an entry without amount takes the default amount",
  {"kind": "one-click", "procfile": "web: a\nworker: b\n", "manifest_formation": {"worker": {"size": "L"}}}, decisions=["D-15"])
f(["FRM-5", "MAN-FRM-4"], "an invalid amount falls back to the default with a note",
  {"kind": "one-click", "procfile": "web: a\n", "manifest_formation": {"web": {"amount": 1.0, "size": "L"}}}, decisions=["D-14", "D-15"])
f(["FRM-6"], "an entry without size takes the default size M",
  {"kind": "one-click", "procfile": "web: a\nworker: b\n", "manifest_formation": {"worker": {"amount": 3}}}, decisions=["D-15"])
f(["FRM-6"], "an entry without size takes the parent's size",
  {"kind": "review-app", "procfile": "web: a\n", "parent_formation": {"web": {"amount": 1, "size": "XL"}},
   "manifest_formation": {"web": {"amount": 2}}}, decisions=["D-15"])
f(["FRM-6", "MAN-FRM-3"], "a Heroku size falls back to the parent's size",
  {"kind": "review-app", "procfile": "web: a\n", "parent_formation": {"web": {"amount": 1, "size": "L"}},
   "manifest_formation": {"web": {"amount": 1, "size": "standard-1x"}}}, decisions=["D-15"], tags=("heroku",))
f(["FRM-7"], "an entry for a type the Procfile lacks is not started",
  {"kind": "one-click", "procfile": "web: a\n", "manifest_formation": {"worker": {"amount": 2, "size": "L"}}})
f(["FRM-7", "DIAG-8"], "an entry close to an existing type is not started",
  {"kind": "one-click", "procfile": "web: a\nworker: b\n", "manifest_formation": {"Worker": {"amount": 1}}})
f(["FRM-7", "FRM-8"], "an entry for a type that only the parent has is not started",
  {"kind": "review-app", "procfile": "web: a\n", "parent_formation": {"clock": {"amount": 1, "size": "S"}},
   "manifest_formation": {"clock": {"amount": 0}}})
f(["FRM-8"], "a parent type the Procfile lacks is not started",
  {"kind": "review-app", "procfile": "web: a\n",
   "parent_formation": {"web": {"amount": 1, "size": "M"}, "clock": {"amount": 1, "size": "S"}}})
f(["FRM-9"], "no note when web is scaled to 0 without a web line",
  {"kind": "one-click", "procfile": "worker: b\n", "manifest_formation": {"web": {"amount": 0}, "worker": {"amount": 1}}})
f(["FRM-9"], "a Procfile without web gets the buildpack note", {"kind": "one-click", "procfile": "worker: b\n"})
f(["FRM-10"], "a one-click deploy ignores a parent formation",
  {"kind": "one-click", "procfile": "web: a\nworker: b\n",
   "parent_formation": {"web": {"amount": 5, "size": "XL"}, "worker": {"amount": 2, "size": "L"}}}, decisions=["D-1"])
f(["FRM-11"], "there is no limit on the total number of containers",
  {"kind": "one-click", "procfile": "".join("p%d: run\n" % i for i in range(100)) + "web: w\n",
   "manifest_formation": dict([("p%d" % i, {"amount": 1000, "size": "3XL"}) for i in range(99)] + [("web", {"amount": 1000, "size": "3XL"})])},
  tags=("resource-limit",))
f(["MAN-9", "FRM-4", "MAN-FRM-2"], "an invalid formation key is left out and the others apply",
  {"kind": "one-click", "procfile": "web: a\n",
   "manifest_formation": {"stream_consumer": {"amount": 1}, "web": {"amount": 2, "size": "S"}}}, decisions=["D-15"])

# ---------------------------------------------------------------------------------------
# hooks
def h(rules, description, inp, **kw):
    case("hooks", rules, description, inp, **kw)


h(["HOOK-1", "HOOK-9"], "the Procfile postdeploy runs after the containers start",
  {"kind": "review-app", "procfile_postdeploy": "rake db:migrate", "attempts": [{}]})
h(["HOOK-2"], "a build error runs no hook and keeps the first deployment pending",
  {"kind": "review-app", "scripts": {"first-deploy": "rake db:seed"}, "attempts": [{"build": "error"}]})
h(["HOOK-3"], "a start crash runs no hook and the former version keeps running",
  {"kind": "review-app", "procfile_postdeploy": "rake db:migrate", "attempts": [{}, {"start": "crashed"}]})
h(["HOOK-3"], "a boot timeout is a timeout-error", {"kind": "one-click", "attempts": [{"start": "timeout"}]})
h(["HOOK-4"], "a failing hook is a hook-error and routing does not switch",
  {"kind": "review-app", "procfile_postdeploy": "rake db:migrate", "attempts": [{}, {"hook": {"exit": 1}}]})
h(["HOOK-4"], "a negative exit status is a failure",
  {"kind": "one-click", "procfile_postdeploy": "./migrate", "attempts": [{"hook": {"exit": -1}}]})
h(["HOOK-5"], "a hook timeout is exit -128 and a hook-error",
  {"kind": "review-app", "scripts": {"first-deploy": "rake db:seed"}, "attempts": [{"hook": "timeout"}]})
h(["HOOK-5"], "an explicit exit -128 is an ordinary failure",
  {"kind": "review-app", "procfile_postdeploy": "x", "attempts": [{"hook": {"exit": -128}}]})
h(["HOOK-6"], "an attempt without hook succeeds after a failed build",
  {"kind": "review-app", "attempts": [{"build": "error"}, {}]})
h(["HOOK-7"], "the first deployment stays pending until the first success",
  {"kind": "review-app", "scripts": {"first-deploy": "seed"}, "attempts": [{"build": "error"}, {"hook": {"exit": 1}}, {}, {}]},
  decisions=["D-13"])
h(["HOOK-8"], "first-deploy runs until a first success and then the Procfile postdeploy runs",
  {"kind": "review-app", "scripts": {"first-deploy": "rake db:seed"}, "procfile_postdeploy": "rake db:migrate",
   "attempts": [{"hook": {"exit": 1}}, {}, {}]}, decisions=["D-13", "D-12"])
h(["HOOK-8"], "first-deploy also runs for a one-click app",
  {"kind": "one-click", "scripts": {"first-deploy": "rake db:setup"}, "attempts": [{"start": "crashed"}, {}]}, decisions=["D-13"])
h(["HOOK-8", "HOOK-7"], "first-deploy has no retry limit",
  {"kind": "review-app", "scripts": {"first-deploy": "seed"}, "attempts": [{"hook": {"exit": 1}}] * 6 + [{}]},
  decisions=["D-13"])
h(["HOOK-9"], "the Procfile postdeploy runs on every attempt",
  {"kind": "one-click", "procfile_postdeploy": "rake db:migrate", "attempts": [{}, {}]})
h(["HOOK-10", "HOOK-11"], "the deprecated scripts.postdeploy runs on every review-app deployment with a warning",
  {"kind": "review-app", "scripts": {"postdeploy": "rake db:migrate"}, "attempts": [{}, {}]}, decisions=["D-12"])
h(["HOOK-10"], "the deprecation warning is given even without attempts",
  {"kind": "review-app", "scripts": {"postdeploy": "rake db:migrate"}}, decisions=["D-12"])
h(["HOOK-11"], "a review app runs first-deploy first and scripts.postdeploy after",
  {"kind": "review-app", "scripts": {"first-deploy": "seed", "postdeploy": "migrate"}, "attempts": [{}, {}]},
  decisions=["D-12"])
h(["HOOK-12"], "a one-click app runs scripts.postdeploy as its first-deploy",
  {"kind": "one-click", "scripts": {"postdeploy": "seed"}, "attempts": [{"hook": {"exit": 1}}, {}, {}]}, decisions=["D-12"])
h(["HOOK-12"], "a one-click app with both scripts never runs scripts.postdeploy",
  {"kind": "one-click", "scripts": {"first-deploy": "seed", "postdeploy": "migrate"}, "attempts": [{}, {}]},
  decisions=["D-12"])
h(["HOOK-13"], "the Procfile postdeploy wins over scripts.postdeploy",
  {"kind": "review-app", "scripts": {"postdeploy": "a"}, "procfile_postdeploy": "b", "attempts": [{}]}, decisions=["D-12"])
h(["HOOK-13"], "a one-click app with both postdeploys runs the Procfile's",
  {"kind": "one-click", "scripts": {"postdeploy": "a"}, "procfile_postdeploy": "b", "attempts": [{}, {}]}, decisions=["D-12"])
h(["HOOK-14", "MAN-SCR-4"], "an empty scripts.postdeploy runs nothing",
  {"kind": "review-app", "scripts": {"postdeploy": ""}, "attempts": [{}]})
h(["HOOK-14"], "a blank Procfile postdeploy runs nothing", {"kind": "review-app", "procfile_postdeploy": "  ", "attempts": [{}]})
h(["HOOK-14"], "a command is run with its surrounding spaces",
  {"kind": "review-app", "scripts": {"first-deploy": " rake db:seed "}, "attempts": [{}]})
h(["HOOK-15"], "attempts beyond 1000 are ignored with an error",
  {"kind": "review-app", "attempts": [{}] * 1001}, tags=("resource-limit",))
h(["HOOK-16"], "a hook result on an attempt without hook is never reached",
  {"kind": "review-app", "scripts": {"first-deploy": "seed"}, "attempts": [{}, {"hook": {"exit": 1}}]}, status="optional")
h(["HOOK-16"], "a start result after a failed build is never reached",
  {"kind": "review-app", "attempts": [{"build": "error", "start": "crashed"}]}, status="optional")
h(["HOOK-2", "HOOK-4", "HOOK-5", "HOOK-6", "HOOK-8", "HOOK-9"], "the worked review-app timeline of the hooks spec",
  {"kind": "review-app", "scripts": {"first-deploy": "rake db:seed"}, "procfile_postdeploy": "rake db:migrate",
   "attempts": [{"build": "error"}, {"hook": {"exit": 1}}, {}, {"hook": "timeout"}]}, decisions=["D-12", "D-13"])
h(["HOOK-3", "HOOK-6", "HOOK-12"], "the worked one-click timeline of the hooks spec",
  {"kind": "one-click", "scripts": {"postdeploy": "rake db:setup"}, "attempts": [{"start": "crashed"}, {}, {}]},
  decisions=["D-12"])

# ---------------------------------------------------------------------------------------
# resolve: the worked scenarios, then scenario rules
SCEN = [
    ("one-click-docs-example-missing-comma.json", ["SCN-4", "JSON-7"], ["D-17"],
     "the documented one-click manifest with a missing comma stops resolution"),
    ("one-click-required-variable.json", ["SCN-5", "ENV-4"], [],
     "a one-click deploy with an unfilled required variable shows the env and schedules no deployment"),
    ("one-click-sample-go-martini.json", ["SCN-3", "SRC-8"], ["D-4", "D-6", "D-11"],
     "the sample-go-martini one-click deploy from its source URL"),
    ("review-app-hooks-failing-first-deploy.json", ["SCN-3", "HOOK-8"], ["D-13"],
     "a review app whose first-deploy fails then succeeds"),
    ("review-app-monorepo-project-dir.json", ["SCN-1", "LOC-6"], ["D-2", "D-3"],
     "a monorepo review app reads the manifest of the parent's PROJECT_DIR"),
    ("review-app-with-parent.json", ["SCN-3", "SCN-7", "ENV-8", "ADD-4", "FRM-3"], ["D-7", "D-18", "D-19"],
     "a review app merges the parent's env, replaces addons and clones the formation"),
]
# The worked scenarios whose outcome holds seeded secrets.
EXACT = {"one-click-required-variable.json", "one-click-sample-go-martini.json", "review-app-with-parent.json"}
for name, rules, decisions, desc in SCEN:
    with open(os.path.join(EXAMPLES, "scenarios", name), encoding="utf-8") as fh:
        scen = json.load(fh)
    tags = ("docs-example", "exact-secrets") if name in EXACT else ("docs-example",)
    case("resolve", rules, desc, scen, decisions=decisions, tags=tags)


def r(rules, description, scen, **kw):
    case("resolve", rules, description, scen, **kw)


r(["SCN-1"], "a review app without parent is an error", {"kind": "review-app", "app": {"name": "my-app-pr1"}})
r(["SCN-1", "ENV-7"], "a review app without manifest is a clone of its parent",
  {"kind": "review-app", "seed": 1, "app": {"name": "my-app-pr2"}, "pr_number": 2,
   "parent": {"name": "my-app", "env": {"A": "1"}, "addons": [{"addon": "redis", "plan": "redis-starter-256"}],
              "formation": {"web": {"amount": 2, "size": "L"}}, "stack": "scalingo-20"},
   "repository": {"files": {"Procfile": "web: ./server\n"}}, "attempts": [{}]}, decisions=["D-1", "D-7", "D-19"])
r(["SCN-1", "LOC-1"], "a one-click PROJECT_DIR comes from the user's values",
  {"kind": "one-click", "seed": 5, "app": {"name": "shop"}, "request": {"source": "https://github.com/acme/mono"},
   "user_env": {"PROJECT_DIR": "api"},
   "repository": {"files": {"scalingo.json": "{\"env\": {\"ROOT\": {\"value\": \"1\"}}}",
                            "api/scalingo.json": "{\"env\": {\"API\": {\"value\": \"1\"}}}",
                            "api/Procfile": "web: ./api\n"}}}, decisions=["D-3", "D-2"])
r(["SCN-1", "ENV-3"], "a one-click deploy without manifest has no defaults",
  {"kind": "one-click", "app": {"name": "bare"}, "request": {"source": "https://github.com/acme/bare"},
   "repository": {"files": {"Procfile": "web: ./bare\n"}}, "attempts": [{}]}, decisions=["D-1"])
r(["SCN-2"], "an app name with capitals is an error",
  {"kind": "one-click", "app": {"name": "My_App"}, "request": {"source": "https://github.com/o/r"}})
r(["SCN-2", "GEN-7"], "the app URL uses the given region",
  {"kind": "one-click", "app": {"name": "secure", "region": "osc-secnum-fr1"}, "request": {"source": "https://github.com/o/r"},
   "repository": {"files": {"scalingo.json": "{\"env\": {\"URL\": {\"generator\": \"url\"}}}"}}}, decisions=["D-10"])
r(["SCN-3", "ENV-11"], "a PROJECT_DIR entry of the manifest is reported once",
  {"kind": "review-app", "app": {"name": "a-pr3"}, "pr_number": 3, "parent": {"name": "a"},
   "repository": {"files": {"scalingo.json": "{\n  \"env\": {\"PROJECT_DIR\": {\"value\": \"api\"}}\n}\n"}}},
  decisions=["D-3"])
r(["SCN-3", "GEN-4"], "an unknown template token is reported once",
  {"kind": "review-app", "seed": 2, "app": {"name": "a-pr4"}, "pr_number": 4, "parent": {"name": "a"},
   "repository": {"files": {"scalingo.json": "{\"env\": {\"L\": {\"generator\": \"template\", \"template\": \"%FOO%-%APP%\"}}}"}}},
  decisions=["D-10"])
r(["SCN-4", "PROC-3"], "a Procfile error stops resolution",
  {"kind": "review-app", "app": {"name": "a-pr5"}, "parent": {"name": "a"},
   "repository": {"files": {"Procfile": "web: a\nweb: b\n"}}})
r(["SCN-4", "SRC-3"], "an invalid source stops a one-click deploy",
  {"kind": "one-click", "app": {"name": "x"}, "request": {"source": "http://github.com/o/r"},
   "repository": {"files": {"Procfile": "web: ./x\n"}}}, decisions=["D-4"])
r(["SCN-4", "LOC-1"], "an invalid PROJECT_DIR stops a review app",
  {"kind": "review-app", "app": {"name": "a-pr6"}, "parent": {"name": "a", "env": {"PROJECT_DIR": "../x"}},
   "repository": {"files": {"scalingo.json": "{}"}}}, decisions=["D-3"])
r(["SCN-4", "DIAG-3"], "warnings do not stop resolution",
  {"kind": "review-app", "seed": 9, "app": {"name": "a-pr7"}, "pr_number": 7, "parent": {"name": "a", "stack": "scalingo-22"},
   "repository": {"files": {"scalingo.json": "{\"nmae\": \"x\", \"scripts\": {\"postdeploy\": \"m\"}}", "Procfile": "web: w\n"}},
   "attempts": [{}]}, decisions=["D-12"])
r(["SCN-5", "ADD-8"], "an addons error shows the sections and schedules no deployment",
  {"kind": "one-click", "app": {"name": "dup"}, "request": {"source": "https://github.com/o/r"},
   "repository": {"files": {"scalingo.json": "{\"addons\": [\"redis\", \"redis:redis-starter-512\"]}"}}, "attempts": [{}]})
r(["SCN-6"], "an unknown stack keeps the parent's stack",
  {"kind": "review-app", "app": {"name": "a-pr8"}, "parent": {"name": "a", "stack": "scalingo-20"},
   "repository": {"files": {"scalingo.json": "{\"stack\": \"heroku-16\"}"}}}, decisions=["D-16"], tags=("heroku",))
r(["SCN-6"], "the manifest stack wins over the parent's",
  {"kind": "review-app", "app": {"name": "a-pr9"}, "parent": {"name": "a", "stack": "scalingo-20"},
   "repository": {"files": {"scalingo.json": "{\"stack\": \"scalingo-24\"}"}}}, decisions=["D-16"])
r(["SCN-6"], "a one-click app without stack gets the platform default",
  {"kind": "one-click", "app": {"name": "b"}, "request": {"source": "https://github.com/o/r"}}, decisions=["D-16"])
r(["SCN-LIM-1"], "a path longer than 4096 bytes is an error and nothing is searched",
  {"kind": "review-app", "app": {"name": "a-pr11"}, "parent": {"name": "a"},
   "repository": {"files": {"scalingo.json": "{}", "d/" + "x" * 4095: ""}}}, tags=("resource-limit",))
r(["ADD-3", "ENV-8"], "an empty addons list and no copy leave the review app without database URLs",
  {"kind": "review-app", "seed": 3, "app": {"name": "a-pr12"}, "pr_number": 12,
   "parent": {"name": "a", "env": {"SCALINGO_POSTGRESQL_URL": "postgres://prod", "K": "v"},
              "addon_vars": ["SCALINGO_POSTGRESQL_URL"], "addons": [{"addon": "postgresql", "plan": "postgresql-starter-512"}]},
   "repository": {"files": {"scalingo.json": "{\"addons\": []}"}}}, decisions=["D-7", "D-18"])
r(["SRC-8", "SCN-3"], "a manifest repository redirects a one-click deploy",
  {"kind": "one-click", "app": {"name": "redir"}, "request": {"referer": "https://github.com/acme/button", "source": "https://github.com/acme/button#dev"},
   "repository": {"default_branch": "trunk", "files": {"scalingo.json": "{\"repository\": \"https://github.com/acme/code\"}"}}},
  decisions=["D-4"])
r(["HOOK-12", "SCN-3"], "a one-click scenario runs the deprecated postdeploy as first-deploy",
  {"kind": "one-click", "app": {"name": "oc"}, "request": {"source": "https://github.com/o/r"},
   "repository": {"files": {"scalingo.json": "{\n  \"scripts\": {\"postdeploy\": \"rake db:setup\"}\n}\n"}},
   "attempts": [{"hook": {"exit": 1}}, {}, {}]}, decisions=["D-12"])
r(["FRM-7", "SCN-3"], "a monorepo formation entry for a type the subfolder Procfile lacks is not started",
  {"kind": "review-app", "app": {"name": "m-pr1"}, "parent": {"name": "m", "env": {"PROJECT_DIR": "api"},
   "formation": {"web": {"amount": 1, "size": "M"}, "worker": {"amount": 1, "size": "M"}}},
   "repository": {"files": {"api/scalingo.json": "{\"formation\": {\"worker\": {\"amount\": 2}}}",
                            "api/Procfile": "web: ./api\n", "Procfile": "web: ./root\nworker: ./w\n"}}},
  decisions=["D-3"])


def main():
    written = 0
    for c in CASES:
        folder = os.path.join(ROOT, c["capability"])
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, c["id"] + ".json")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as fh:
                old = json.load(fh)
            if old.get("description") != c["description"]:
                sys.exit("%s exists with another description: refusing to renumber" % path)
            continue
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(c, indent=2, ensure_ascii=False) + "\n")
        written += 1
    print("%d cases defined, %d written" % (len(CASES), written))


if __name__ == "__main__":
    main()
