import { TmpfsSpec } from '../../spec/container-spec';
import { defineRule } from '../define';
import { attributeUnknown, judgeList, unknownResult } from '../helpers';
import { Results, Severity } from '../rule';

/** The effective exec/suid state of tmpfs mount options, read left to right as mount(8) does; undefined = not written. */
export function tmpfsFlags(options: string | undefined): { readonly exec?: boolean; readonly suid?: boolean } {
  // The same few option strings recur across a stack's containers: each is read once.
  const key = options ?? '';
  let flags = FLAGS.get(key);
  if (flags === undefined) {
    flags = Object.freeze(readTmpfsFlags(key));
    if (FLAGS.size < 256) FLAGS.set(key, flags);
  }
  return flags;
}
const FLAGS = new Map<string, { readonly exec?: boolean; readonly suid?: boolean }>();

function readTmpfsFlags(options: string): { exec?: boolean; suid?: boolean } {
  let exec: boolean | undefined;
  let suid: boolean | undefined;
  for (const raw of options.split(',')) {
    const o = raw.trim().toLowerCase();
    if (o === 'exec') {exec = true;} else if (o === 'noexec') {exec = false;} else if (o === 'suid') {suid = true;} else if (o === 'nosuid') {suid = false;} else if (o === 'defaults') {
      exec = true;
      suid = true;
    }
  }
  return { exec, suid };
}

function pathText(t: TmpfsSpec): string {
  return attributeUnknown(t, 'path') ? '<unknown path>' : t.path;
}

function problem(t: TmpfsSpec): string | undefined {
  const { exec, suid } = tmpfsFlags(t.options);
  // Strings are built only for a problem (no list per tmpfs that passes).
  const wrong = exec === true ? (suid === true ? 'exec and suid' : 'exec') : suid === true ? 'suid' : undefined;
  if (wrong !== undefined) return `${pathText(t)} allows ${wrong} ("${t.options}")`;
  // A tmpfs from a `mounts` block cannot carry options in provider 3.6.2: Docker mounts it noexec,nosuid,nodev.
  if (t.fromMount) return undefined;
  const missing = exec === undefined ? (suid === undefined ? 'noexec and nosuid' : 'noexec') : suid === undefined ? 'nosuid' : undefined;
  if (missing !== undefined) return `${pathText(t)} does not say ${missing} (options "${t.options ?? ''}")`;
  return undefined;
}

export const tmpfsNoexecNosuid = defineRule({
  id: 'tmpfs-noexec-nosuid',
  title: 'Every tmpfs is mounted noexec and nosuid',
  severity: Severity.WARNING,
  rationale: 'With a read-only root, the tmpfs mounts are the only places an intruder can write: `noexec` stops them from running what they drop there and `nosuid` stops setuid binaries. Docker 20.10 already mounts tmpfs noexec,nosuid,nodev unless `exec` or `suid` is written (checked on this project\'s engine); this rule asks the `tmpfs` map to say so explicitly, so the configuration states the intent and a reviewer need not know the engine default. A tmpfs from a `mounts` block cannot carry such options in provider 3.6.2 (only size_bytes and mode), so it passes on Docker\'s default.',
  remediation: 'Write the options on every `tmpfs` entry: `tmpfs = { "/tmp" = "rw,noexec,nosuid,nodev,size=64m" }`; never `exec` or `suid`. HardenedContainer writes them for `/tmp` and every `writablePaths` entry. Note: provider 3.6.2 ignores a changed `tmpfs` map on an existing container until something forces replacement.',
  composeRemediation: 'Write the options on every tmpfs: `tmpfs: ["/tmp:rw,noexec,nosuid,nodev,size=64m"]`; never `exec` or `suid`.',
}, (spec) => {
  const tmpfs = spec.tmpfs ?? [];
  const { failing, undecided } = judgeList(spec, 'tmpfs', tmpfs, (t) => attributeUnknown(t, 'options') ? undefined : problem(t) !== undefined);
  if (failing.length) return Results.fail(failing.map((t) => problem(t)).join('; '));
  if (undecided) return unknownResult(spec, ['tmpfs'], 'tmpfs');
  if (tmpfs.length === 0) return Results.pass('no tmpfs');
  return Results.pass();
});
