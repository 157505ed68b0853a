// node zod3_node.cjs DIR: runs zod3_cases.js on zod 3 installed in
// DIR/node_modules/zod and prints the results (see zod3_run.js).
const fs = require("fs");
const path = require("path");
const { z } = require(path.join(path.resolve(process.argv[2]), "node_modules", "zod"));
const src = ["zod3_cases.js", "zod3_run.js"].map((f) => fs.readFileSync(path.join(__dirname, f), "utf8")).join("\n");
process.stdout.write(new Function("z", src + "\nreturn runCases3(z);")(z));
