/**
 * The APEX functions: which function a request names, the checks of its fields and permissions, and how each is
 * turned into an engine command or query, or answered at once with the code and detail the protocol defines.
 */
package io.ordergw.gateway.apex;
