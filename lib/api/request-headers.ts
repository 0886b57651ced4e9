/**
 * Request headers the console's request gate (server/security/gate.ts) looks for: headers a plain
 * HTML form or an <img> on another site cannot send.
 */
/** An upload (`PUT …/volumes/{vol}/content`, a raw body rather than JSON) carries `x-ksc-upload: 1`. */
export const UPLOAD_HEADER = 'x-ksc-upload';
/** A client that is not a browser (no Sec-Fetch-Site) sends `x-ksc-client: 1` to reach the GETs that act. */
export const CLIENT_HEADER = 'x-ksc-client';
/** Set by proxy.ts on page requests (never trusted from a client): the path, so a layout can send a signed-out browser back after sign-in. */
export const PATH_HEADER = 'x-ksc-path';
