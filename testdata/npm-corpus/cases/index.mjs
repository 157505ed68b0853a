// Every corpus case: name -> async (base) => a JSON-able result.
import * as services from './services.mjs';
import * as http from './http.mjs';
import * as data from './data.mjs';

export default { ...services, ...http, ...data };
