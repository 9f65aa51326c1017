import Ajv from 'ajv';
import { DEFAULTS_SCHEMA, POLICIES_SCHEMA } from '../../src/profiles/profile-schema';
import { defaultsErrors, policiesErrors } from '../../src/profiles/validate';

describe('defaults and policies validation', () => {
  test('empty defaults and policies are valid by their schemas, so skipping the schema for them changes nothing', () => {
    const ajv = new Ajv({ strict: true });
    expect(ajv.validate(DEFAULTS_SCHEMA, {})).toBe(true);
    expect(ajv.validate(POLICIES_SCHEMA, {})).toBe(true);
    expect(defaultsErrors({})).toEqual([]);
    expect(defaultsErrors({ memoryMb: undefined })).toEqual([]);
    expect(policiesErrors({})).toEqual([]);
  });

  test('anything else is still checked against the schema', () => {
    expect(defaultsErrors({ memoryMb: 1 })).toEqual([expect.stringMatching(/^defaults\.memoryMb: /)]);
    expect(defaultsErrors({ memoryMbs: 64 })).toEqual([expect.stringMatching(/memoryMbs: unknown field/)]);
    expect(policiesErrors({ requireDigest: 'yes' })).toEqual([expect.stringMatching(/^policies\.requireDigest: /)]);
    expect(defaultsErrors([])).not.toEqual([]);
  });

  test('a profile made in code without defaults or policies does not load the schema validator', () => {
    jest.isolateModules(() => {
      jest.doMock('ajv', () => {
        throw new Error('ajv was loaded');
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { Profile } = require('../../src/profiles/profile');
      // The catalog of this module registry (the rules are objects of their own here).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const rules = require('../../src/rules/catalog').BUILTIN_RULES.slice(0, 3);
      const p = new Profile('plain', rules);
      expect(p.derive({ name: 'derived' }).activeRules).toHaveLength(3);
      expect(() => new Profile('bad', rules, [], { memoryMb: 1 })).toThrow(/ajv was loaded/);
    });
  });
});
