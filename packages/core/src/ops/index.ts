export * from './creation.js';
export * from './elementwise.js';
export * from './reduce.js';
export * from './layout.js';
export * from './linear.js';
export * from './decompositions.js';
export * from './features.js';
