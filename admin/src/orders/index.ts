import ShoppingCartIcon from '@mui/icons-material/ShoppingCart';
import { lazyViews } from '../common/lazyViews';

const orderList = lazyViews(() => import('./OrderList'));
const orderShow = lazyViews(() => import('./OrderShow'));

// No edit or create: orders come from the payment provider and change only through a refund.
export default { list: orderList('OrderList'), show: orderShow('OrderShow'), icon: ShoppingCartIcon, recordRepresentation: 'order_no' };
