// The example organisation package's own tests, run by the library's jest (whose testMatch covers src/ and test/).
import '../../examples/org-profile/test/acme.test';
