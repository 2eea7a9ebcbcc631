// Stands in, in the phone Lambda bundles, for packages a Connect Lambda never uses but the app it
// loads imports (other channels' AWS clients, MySQL, mail): any export is a function or class that
// fails when called or constructed, so loading costs nothing and using one says why.
'use strict';
function unavailable(name) {
  const fail = function () {
    throw new Error(`${name} is not in the phone Lambda bundle (connect-flows/deploy/bundle-lambdas.ts STUBBED): the phone Lambdas do not use it`);
  };
  return new Proxy(fail, { get: (t, k) => (k === 'prototype' ? t.prototype : k === Symbol.toPrimitive ? undefined : unavailable(`${name}.${String(k)}`)) });
}
module.exports = new Proxy({}, {
  get: (_t, k) => (k === '__esModule' ? false : k === 'default' ? module.exports : typeof k === 'symbol' ? undefined : unavailable(String(k))),
});
