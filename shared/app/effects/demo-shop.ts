// Register the demo shop (shared/adapters/demo-shop.ts) as a system of the app: the console calls
// this on first start so a new installation has a real store to find and erase data in.
import type { AppContext } from '../context';
import { createDemoShop, demoShopDataMap, DEMO_SHOP_SYSTEM } from '../../adapters/demo-shop';
import { datamapService } from './datamap-service';

/** Create the demo shop in `dir` and register it as a system of the app (name "demo-shop"). */
export async function registerDemoShop(ctx: AppContext, dir: string, actor = 'demo'): Promise<{ sqliteFile: string; datamapFile: string; system: string }> {
  const files = await createDemoShop(dir);
  await datamapService(ctx).addSystem({ name: DEMO_SHOP_SYSTEM, connection: { engine: 'sqlite', file: files.sqliteFile }, map: demoShopDataMap() }, actor);
  return { ...files, system: DEMO_SHOP_SYSTEM };
}
