/** Addresses kept while a delivery waits are sealed with the service's personal-data keys. */
import type { PiiVault } from '@learning/pii';
import type { AddressSeal } from '../../application/dispatch/ports.js';

export const vaultSeal = (vault: PiiVault): AddressSeal => ({
  seal: (address) => vault.encrypt(address),
  open: (sealed) => vault.decrypt(sealed),
});
