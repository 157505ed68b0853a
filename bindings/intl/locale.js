// Number's and Date's toLocaleString methods, formatting through Intl
// (goja's own ignore the locale, and Number's throws when given one).
// Evaluates to function(intl); intl() is the Intl object, made on first
// use (bindings/intl's Install).
(function (intl) {
  'use strict';
  const method = (o, name, fn) => Object.defineProperty(o, name, { value: fn, writable: true, configurable: true, enumerable: false });
  const thisNumber = Number.prototype.valueOf;
  const thisTime = Date.prototype.getTime;
  method(Number.prototype, 'toLocaleString', function toLocaleString(locales, options) {
    return new (intl().NumberFormat)(locales, options).format(thisNumber.call(this));
  });
  const dateMethod = (name, required, defaults) => method(Date.prototype, name, {
    [name](locales, options) {
      const t = thisTime.call(this);
      if (Number.isNaN(t)) return 'Invalid Date';
      return new (intl().DateTimeFormat)(locales, options, required, defaults).format(t);
    },
  }[name]);
  dateMethod('toLocaleString', 'any', 'all');
  dateMethod('toLocaleDateString', 'date', 'date');
  dateMethod('toLocaleTimeString', 'time', 'time');
})
