// Writes sentences.json (sentences.mjs), which describe.test.mjs holds describe() to word
// for word. Run it after changing a sentence on purpose, and read the diff:
//   node web/mutation/spec/write-sentences.mjs
import { writeFileSync } from "node:fs";
import { join } from "node:path";

import { SPEC, allSentences } from "./sentences.mjs";

writeFileSync(join(SPEC, "sentences.json"), JSON.stringify(allSentences(), null, 2) + "\n");
