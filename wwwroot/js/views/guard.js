// @ts-check
/** The one rule every selling action checks first: only the tab holding the till lock sells (browser only: a toast). */
import { toast } from '../dom.js';
import { state } from '../state.js';
import { FOLLOWER_MESSAGE } from '../tablock.js';

/** @returns {boolean} whether this tab may sell; a follower says why not */
export function mayTrade() {
  if (state.isLeader) return true;
  toast(FOLLOWER_MESSAGE, 'warning');
  return false;
}
