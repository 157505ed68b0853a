// node zod4_node.cjs DIR: runs zod4_cases.js on zod 4 installed in
// DIR/node_modules/zod and prints the results (see zod4_run.js).
const fs = require("fs");
const path = require("path");
const z = require(path.join(path.resolve(process.argv[2]), "node_modules", "zod"));
const src = ["zod4_cases.js", "zod4_run.js"].map((f) => fs.readFileSync(path.join(__dirname, f), "utf8")).join("\n");
process.stdout.write(new Function("z", src + "\nreturn runCases(z);")(z));
