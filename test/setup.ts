import nock from 'nock';

// Vendor HTTP is always mocked; only loopback (our own servers, Redis, Postgres) may be reached.
nock.disableNetConnect();
nock.enableNetConnect((host) => host.startsWith('127.0.0.1') || host.startsWith('localhost') || host.startsWith('[::1]'));
