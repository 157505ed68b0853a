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
  }
  Object.defineProperty(ZodError.prototype, "name", { value: "ZodError", writable: true, configurable: true });
  return ZodError;
})()
