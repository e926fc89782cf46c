export { createWeftMcpServer, type WeftMcpOptions } from './server';
