import { RuleCase } from './cases';
import { container, engineContainer, service } from './specs';
import { RuleStatus } from '../../src/rules/rule';

const PASS = RuleStatus.PASS;
const FAIL = RuleStatus.FAIL;
const UNKNOWN = RuleStatus.UNKNOWN;

const c = (rule: string, name: string, spec: RuleCase['spec'], status: RuleStatus, message?: RegExp): RuleCase =>
  ({ rule, name, spec, status, message });

/** Cases of the rules on system paths: /proc and /sys masking, and writable mounts over system directories. */
export const CORE_CASES: RuleCase[] = [
  c('no-unconfined-system-paths', 'default', container({ securityOpts: ['no-new-privileges:true'] }), PASS),
  c('no-unconfined-system-paths', 'none', container({}), PASS),
  c('no-unconfined-system-paths', 'systempaths=unconfined', container({ securityOpts: ['systempaths=unconfined'] }), FAIL, /"systempaths=unconfined"/),
  c('no-unconfined-system-paths', 'colon form, upper case', container({ securityOpts: ['SYSTEMPATHS:Unconfined'] }), FAIL, /SYSTEMPATHS:Unconfined/),
  c('no-unconfined-system-paths', 'service', service({ securityOpts: ['systempaths=unconfined'] }), FAIL),
  c('no-unconfined-system-paths', 'engine: empty masked paths', engineContainer({ securityOpts: ['systempaths=unconfined'] }), FAIL, /MaskedPaths/),
  c('no-unconfined-system-paths', 'unknown security_opts', container({ unknown: ['securityOpts'] }), UNKNOWN),

  c('no-mount-over-system-dirs', 'tmpfs map over /etc', container({ tmpfs: [{ path: '/etc', options: 'rw,noexec' }] }), FAIL, /tmpfs \/etc/),
  c('no-mount-over-system-dirs', 'tmpfs map over //proc/', container({ tmpfs: [{ path: '//proc/' }] }), FAIL, /tmpfs \/\/proc\//),
  c('no-mount-over-system-dirs', 'tmpfs over /var/lib hides /var/lib/docker', container({ tmpfs: [{ path: '/var/lib' }] }), FAIL),
  c('no-mount-over-system-dirs', 'tmpfs over /lib64', container({ tmpfs: [{ path: '/lib64' }] }), FAIL),
  c('no-mount-over-system-dirs', 'read-only tmpfs over /etc', container({ tmpfs: [{ path: '/etc', options: 'ro,size=1m' }] }), PASS),
  c('no-mount-over-system-dirs', 'tmpfs below /etc', container({ tmpfs: [{ path: '/etc/app' }, { path: '/tmp' }] }), PASS),
  c('no-mount-over-system-dirs', 'volume over /', container({ mounts: [{ type: 'volume', source: 'all', target: '/' }] }), FAIL),
  c('no-mount-over-system-dirs', 'tmpfs at a path known after apply', container({ tmpfs: [{ path: '${var.path}' }] }), UNKNOWN, /var\.path/),
  c('no-mount-over-system-dirs', 'unknown tmpfs', container({ unknown: ['tmpfs'] }), UNKNOWN),
  // Item by item: a literal failing item fails whatever its unknown siblings are.
  { rule: 'no-mount-over-system-dirs', name: 'tmpfs over /etc beside an unknown tmpfs', spec: container({ tmpfs: [{ path: '/etc' }], unknown: ['tmpfs'] }), status: FAIL, message: /tmpfs \/etc/, besideUnknown: true },
  { rule: 'no-mount-over-system-dirs', name: 'volume over /usr beside an unknown mount', spec: container({ mounts: [{ type: 'volume', source: 'v', target: '/usr' }], unknown: ['mounts'] }), status: FAIL, message: /v -> \/usr/, besideUnknown: true },
  c('no-mount-over-system-dirs', 'a mount whose read_only is unknown, over /etc', container({ mounts: [{ type: 'volume', source: 'v', target: '/etc', unknown: ['readOnly'] }], unknown: ['mounts'], listedInFull: ['mounts'] }), UNKNOWN),
  c('no-mount-over-system-dirs', 'a mount whose read_only is unknown, below /srv', container({ mounts: [{ type: 'volume', source: 'v', target: '/srv/data', unknown: ['readOnly'] }], unknown: ['mounts'], listedInFull: ['mounts'] }), PASS),
  { rule: 'no-unconfined-system-paths', name: 'systempaths=unconfined beside an unknown option', spec: container({ securityOpts: ['systempaths=unconfined'], unknown: ['securityOpts'] }), status: FAIL, message: /systempaths=unconfined/, besideUnknown: true },
];
