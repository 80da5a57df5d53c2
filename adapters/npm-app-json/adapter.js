#!/usr/bin/env node
// Drives Heroku's npm validator `app.json@1.3.0` through the scalingo-manifest conformance
// protocol (spec/protocol.md), persistent mode, for the `validate` capability only.
//
// The validator has no diagnostic codes: it says valid or not, with a list of
// {property, message}. So the adapter declares the `verdict-only` feature: the runner then
// compares `valid` only. The validator's own errors are passed along in the extra field
// `app_json_errors` (the runner ignores fields it does not expect), for whoever reads the
// JSON report.
//
// Usage (from the repository root, after `npm ci --prefix adapters/npm-app-json`):
//   scalingo-manifest conformance run --impl 'node adapters/npm-app-json/adapter.js' \
//     --xfail adapters/npm-app-json/expected-failures.txt
"use strict";

const readline = require("readline");
const App = require("app.json");
const appJsonVersion = require("app.json/package.json").version;

const PROTOCOL_VERSION = 1;

function send(message) {
  process.stdout.write(JSON.stringify(message) + "\n");
}

// The manifest's bytes, from exactly one of `manifest`, `manifest_base64` and
// `manifest_parts` (spec/vectors.md, "Text inputs").
function manifestBytes(input) {
  const given = ["manifest", "manifest_base64", "manifest_parts"].filter((k) => k in input);
  if (given.length !== 1) {
    throw new Error("give exactly one of manifest, manifest_base64 and manifest_parts");
  }
  if (typeof input.manifest === "string") {
    return Buffer.from(input.manifest, "utf8");
  }
  if (typeof input.manifest_base64 === "string") {
    return Buffer.from(input.manifest_base64, "base64");
  }
  if (Array.isArray(input.manifest_parts)) {
    const pieces = [];
    for (const part of input.manifest_parts) {
      const piece =
        typeof part.text === "string"
          ? Buffer.from(part.text, "utf8")
          : Buffer.from(String(part.base64), "base64");
      const repeat = part.repeat === undefined ? 1 : part.repeat;
      if (piece.length > 0) {
        pieces.push(Buffer.alloc(piece.length * repeat, piece));
      }
    }
    return Buffer.concat(pieces);
  }
  throw new Error("the manifest input is not a string or a list of parts");
}

// The validator's verdict on the manifest's bytes, as `App.new(text).valid` gives it:
// `App.new` parses a string with JSON.parse and throws "Malformed JSON" when that fails
// (the verdict is then "invalid"). One guard: `App.new` reads a *file* when the string ends
// with ".json"; such a text is parsed here and the parsed value is given instead.
function validate(input) {
  const text = manifestBytes(input).toString("utf8");
  let app;
  try {
    app = /\.json$/i.test(text) ? App.new(JSON.parse(text)) : App.new(text);
  } catch (err) {
    return { valid: false, diagnostics: [], app_json_errors: [String(err.message)] };
  }
  return {
    valid: app.valid === true,
    diagnostics: [],
    app_json_errors: app.errors.map((e) => `${e.property} ${e.message}`),
  };
}

function answer(request) {
  switch (request.cmd) {
    case "start":
      return {
        version: PROTOCOL_VERSION,
        implementation: {
          name: "app.json (npm)",
          version: appJsonVersion,
          language: "javascript",
          homepage: "https://www.npmjs.com/package/app.json",
        },
        capabilities: ["validate"],
        features: ["verdict-only"],
      };
    case "run": {
      const { seq, case: c } = request;
      if (c.capability !== "validate") {
        return { seq, skipped: `app.json ${appJsonVersion} only validates manifests` };
      }
      try {
        return { seq, output: validate(c.input) };
      } catch (err) {
        return { seq, errored: String(err && err.stack ? err.stack : err) };
      }
    }
    default:
      return { errored: `unknown command ${JSON.stringify(request.cmd)}` };
  }
}

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on("line", (line) => {
  if (line.trim() === "") {
    return;
  }
  let request;
  try {
    request = JSON.parse(line);
  } catch (err) {
    send({ errored: `not JSON: ${err.message}` });
    return;
  }
  if (request.cmd === "stop") {
    lines.close();
    return;
  }
  send(answer(request));
});
lines.on("close", () => process.exit(0));
