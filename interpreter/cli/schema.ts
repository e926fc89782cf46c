import { flowSchema } from '../dsl';
import { type Command, EXIT, UsageError } from './command';

const command: Command = {
  summary: 'Print the flow JSON Schema (draft 2020-12) that editors and `weft validate` use.',
  usage: 'weft schema',
  async run(args) {
    if (args.length > 0) throw new UsageError(`unexpected argument ${args[0]}`);
    console.log(JSON.stringify(flowSchema, null, 2));
    return EXIT.ok;
  },
};

export default command;
