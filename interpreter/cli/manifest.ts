import { loadPlugins } from '../activities';
import { parseCommand, printJson } from './client-args';
import { type Command, EXIT } from './command';
import { takePlugins } from './plugin-args';

const command: Command = {
  summary:
    'Print the activity manifest (names, descriptions, schemas, defaults) of the built-ins plus --plugins, as JSON.',
  usage: 'weft manifest [--plugins <module>…]',
  async run(args) {
    const { rest, plugins } = takePlugins(args);
    parseCommand({ args: rest, options: {} });
    const registry = await loadPlugins(plugins);
    printJson(registry.manifest());
    return EXIT.ok;
  },
};
export default command;
