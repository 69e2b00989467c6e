// The differential corpus (tests/web/verifier/corpus.py): cases, the operation
// that makes a mutated case from its base, and the comparison of verdicts.
import { existsSync } from "node:fs";
import { join } from "node:path";

import { PROJECT_ROOT, readJson } from "./paths.mjs";

export const CORPUS_PATH = process.env.MEDLEDGER_WEB_CORPUS || join(PROJECT_ROOT, "web", "mutation", "corpus.json");

export function loadCorpus() {
  if (!existsSync(CORPUS_PATH)) {
    throw new Error(
      `no differential corpus at ${CORPUS_PATH}: write it with ` +
        "`python -m tests.web.verifier.corpus web/mutation/corpus.json` (make mutation-web does)",
    );
  }
  return readJson(CORPUS_PATH);
}
