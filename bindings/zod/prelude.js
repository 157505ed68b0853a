// ZodError for the host's `z`. parse() and safeParse() make theirs from Go
// (an Error re-prototyped, so its stack starts at the plugin's call site).
(function () {
  class ZodError extends Error {
    constructor(issues, message) {
      super(message);
      this.issues = issues;
    }
    get errors() {
      return this.issues;
    }
    get formErrors() {
      return this.flatten();
    }
    flatten(mapIssue) {
      const map = mapIssue || ((i) => i.message);
      const formErrors = [];
      const fieldErrors = {};
      for (const issue of this.issues) {
        if (issue.path.length > 0) {
          const k = issue.path[0];
          (fieldErrors[k] = fieldErrors[k] || []).push(map(issue));
        } else {
          formErrors.push(map(issue));
        }
      }
      return { formErrors, fieldErrors };
    }
    // format is zod 3's nested form: { _errors: [...], key: { _errors } }.
    format(mapIssue) {
      const map = mapIssue || ((i) => i.message);
      const root = { _errors: [] };
      const add = (err) => {
        for (const issue of err.issues) {
          if (issue.code === "invalid_union" && Array.isArray(issue.unionErrors)) issue.unionErrors.forEach(add);
          else if (issue.code === "invalid_return_type" && issue.returnTypeError) add(issue.returnTypeError);
          else if (issue.code === "invalid_arguments" && issue.argumentsError) add(issue.argumentsError);
          else {
            let node = root;
            for (const key of issue.path) node = node[key] = node[key] || { _errors: [] };
            node._errors.push(map(issue));
          }
        }
      };
      add(this);
      return root;
    }
    get isEmpty() {
      return this.issues.length === 0;
    }
    addIssue(issue) {
      this.issues = [...this.issues, issue];
    }
  }
  Object.defineProperty(ZodError.prototype, "name", { value: "ZodError", writable: true, configurable: true });
  return ZodError;
})()
