// Stands in for pg/lib/stream.js in the phone Lambda bundles (bundle-lambdas.ts): the socket
// functions pg picks on Node, without its Cloudflare Workers probe (which, where `navigator` is
// missing, constructs a fetch Response and so loads undici while the module loads).
'use strict';
module.exports = {
  getStream() {
    const net = require('net');
    return new net.Socket();
  },
  getSecureStream(options) {
    const tls = require('tls');
    return tls.connect(options);
  },
};
