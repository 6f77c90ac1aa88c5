import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../src/paths.js';

/** τ-bench retail scenarios (../shared/data/taubench-retail/tasks_train.jsonl) and the demo store's data. */
type TauAction = { name: string; arguments: Record<string, unknown> };
export type Task = { id: string; user_id: string; instruction: string; actions: TauAction[]; write_actions: string[] };
type TauOrder = { order_id: string; user_id: string; status: string; items: { name: string; item_id: string }[] };
type TauUser = { email: string; name: { first_name: string } };

const root = repoRoot();
const demo = (f: string) => JSON.parse(readFileSync(join(root, 'data', 'demo', f), 'utf8'));
export const orders: Record<string, TauOrder> = demo('orders.json');
export const users: Record<string, TauUser> = demo('users.json');

// A copy of tau-bench's retail training scenarios (MIT, Copyright (c) 2024 Sierra; see LICENSE beside it).
const TASKS_PATH = join(root, 'test', 'fixtures', 'taubench', 'tasks_train.jsonl');
export const tasks: Task[] = readFileSync(TASKS_PATH, 'utf8').trim().split('\n').map((l) => JSON.parse(l));

/** Tasks whose only store write is `name`, with that action's arguments. */
export function singleActionTasks(name: string, n: number): { task: Task; args: Record<string, unknown> }[] {
  const used = new Set<string>();
  const out: { task: Task; args: Record<string, unknown> }[] = [];
  for (const task of tasks) {
    const writes = task.actions.filter((a) => task.write_actions.includes(a.name));
    const action = writes.find((a) => a.name === name);
    if (!action || writes.some((a) => a.name !== name) || writes.length !== 1) continue;
    const orderId = String(action.arguments.order_id);
    if (used.has(orderId)) continue; // each scenario acts on its own order
    used.add(orderId);
    out.push({ task, args: action.arguments });
    if (out.length === n) break;
  }
  return out;
}

/** Tasks with an address change (it only comes combined with other writes in τ-bench). */
export function addressTasks(n: number): { task: Task; args: Record<string, unknown> }[] {
  const out: { task: Task; args: Record<string, unknown> }[] = [];
  const used = new Set<string>();
  for (const task of tasks) {
    const a = task.actions.find((x) => x.name === 'modify_pending_order_address');
    if (!a || used.has(String(a.arguments.order_id))) continue;
    used.add(String(a.arguments.order_id));
    out.push({ task, args: a.arguments });
    if (out.length === n) break;
  }
  return out;
}

export const emailOf = (userId: string) => users[userId]!.email;

/** Orders in a given τ-bench status, in file order. */
export const ordersIn = (status: string) => Object.values(orders).filter((o) => o.status === status);
