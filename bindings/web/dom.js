// DOMException as WebIDL defines it: an Error subclass with a name and a
// legacy numeric code. The web globals throw it for the errors browsers
// raise as DOMException (InvalidCharacterError, DataCloneError,
// QuotaExceededError, NotSupportedError, ...). Evaluates to a function
// returning the class; it runs on first use of DOMException (the global,
// or the hub's: bindings/web's Install), not in every runtime.
(function () {
  'use strict';
  const LEGACY_CODES = {
    IndexSizeError: 1, HierarchyRequestError: 3, WrongDocumentError: 4, InvalidCharacterError: 5,
    NoModificationAllowedError: 7, NotFoundError: 8, NotSupportedError: 9, InvalidStateError: 11,
    SyntaxError: 12, InvalidModificationError: 13, NamespaceError: 14, InvalidAccessError: 15,
    TypeMismatchError: 17, SecurityError: 18, NetworkError: 19, AbortError: 20, URLMismatchError: 21,
    QuotaExceededError: 22, TimeoutError: 23, InvalidNodeTypeError: 24, DataCloneError: 25,
  };
  const CONSTANTS = {
    INDEX_SIZE_ERR: 1, DOMSTRING_SIZE_ERR: 2, HIERARCHY_REQUEST_ERR: 3, WRONG_DOCUMENT_ERR: 4,
    INVALID_CHARACTER_ERR: 5, NO_DATA_ALLOWED_ERR: 6, NO_MODIFICATION_ALLOWED_ERR: 7, NOT_FOUND_ERR: 8,
    NOT_SUPPORTED_ERR: 9, INUSE_ATTRIBUTE_ERR: 10, INVALID_STATE_ERR: 11, SYNTAX_ERR: 12,
    INVALID_MODIFICATION_ERR: 13, NAMESPACE_ERR: 14, INVALID_ACCESS_ERR: 15, VALIDATION_ERR: 16,
    TYPE_MISMATCH_ERR: 17, SECURITY_ERR: 18, NETWORK_ERR: 19, ABORT_ERR: 20, URL_MISMATCH_ERR: 21,
    QUOTA_EXCEEDED_ERR: 22, TIMEOUT_ERR: 23, INVALID_NODE_TYPE_ERR: 24, DATA_CLONE_ERR: 25,
  };

  class DOMException extends Error {
    #name;
    constructor(message = '', options = 'Error') {
      super(String(message));
      // The second argument is a name, or (newer browsers) { name, cause }.
      if (options !== null && typeof options === 'object') {
        this.#name = options.name === undefined ? 'Error' : String(options.name);
        if ('cause' in options) {
          Object.defineProperty(this, 'cause', { value: options.cause, writable: true, configurable: true });
        }
      } else {
        this.#name = String(options);
      }
    }
    get name() { return this.#name; }
    get code() { return LEGACY_CODES[this.#name] || 0; }
  }
  Object.defineProperty(DOMException.prototype, Symbol.toStringTag, { value: 'DOMException', configurable: true });
  for (const [k, v] of Object.entries(CONSTANTS)) {
    Object.defineProperty(DOMException, k, { value: v, enumerable: true });
    Object.defineProperty(DOMException.prototype, k, { value: v, enumerable: true });
  }

  return DOMException;
})
