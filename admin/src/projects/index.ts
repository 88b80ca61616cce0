import PhotoLibraryIcon from '@mui/icons-material/PhotoLibrary';
import { lazyViews } from '../common/lazyViews';

const views = lazyViews(() => import('./ProjectViews'));

export default { list: views('ProjectList'), show: views('ProjectShow'), icon: PhotoLibraryIcon, recordRepresentation: 'name' };
