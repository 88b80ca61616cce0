// Constants and types shared by the server, the console and the scripts. Nothing here imports
// Node, Express, Drizzle or React, so the console's bundle can take it whole.
export * from './api';
export * from './enums';
export * from './permissions';
export * from './roles';
