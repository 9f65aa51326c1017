/**
 * The library this package builds on.
 *
 * Published, this file is one line: `export * from 'cdktf-hardened-docker';` (a peer dependency). Inside the
 * library's repository it points at the library's source instead, so the example is tested against the current
 * code on every change.
 */
export * from '../../../src';
