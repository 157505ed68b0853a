// The parts of vitest's assertion library that host's vitest API (../vitest.js)
// builds on: chai with vitest's Jest-style matchers and asymmetric matchers,
// the expect state, and vitest's spies.
import * as chai from 'chai';
import { ASYMMETRIC_MATCHERS_OBJECT, JestAsymmetricMatchers, JestChaiExpect, JestExtend, getState, setState, GLOBAL_EXPECT } from '@vitest/expect';
import { processError } from '@vitest/utils/error';
import { fn, isMockFunction, mocks, spyOn } from '@vitest/spy';

chai.use(JestExtend);
chai.use(JestChaiExpect);
chai.use(JestAsymmetricMatchers);

export { chai, getState, setState, GLOBAL_EXPECT, ASYMMETRIC_MATCHERS_OBJECT, processError, fn, isMockFunction, mocks, spyOn };
