// The worker process on its own: `node dist/src/worker.js` is `APP_ROLE=worker node dist/src/main.js`.
process.env.APP_ROLE = 'worker';
require('./main');
