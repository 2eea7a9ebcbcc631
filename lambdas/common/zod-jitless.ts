// Imported first by every Lambda handler: zod validates without generating code. With code
// generation each object schema compiles a parser (new Function) on its first use, which a cold
// start pays for every schema it touches (the app's contract); a Lambda validates a few small
// inputs per invocation, so the interpreter is the faster choice there. Must run before any schema
// is built (zod reads the setting when a schema is created).
import { z } from 'zod';

z.config({ jitless: true });
